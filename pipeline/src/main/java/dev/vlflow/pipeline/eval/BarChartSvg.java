package dev.vlflow.pipeline.eval;

import java.util.List;
import java.util.Locale;

/**
 * A grouped vertical bar chart of percentages as inline SVG (no chart library, opens in any browser).
 * One group per category, one bar per series within a group.
 */
final class BarChartSvg {

    private static final String[] COLOURS = {"#4e79a7", "#a0cbe8", "#f28e2b", "#ffbe7d", "#59a14f", "#8cd17d",
        "#b6992d", "#f1ce63", "#499894", "#86bcb6", "#e15759", "#ff9d9a"};

    /** One series: a name and a value (0-100) per category, {@code NaN} for none. */
    record Series(String name, double[] values) {
    }

    private BarChartSvg() {
    }

    static String render(String title, List<String> categories, List<Series> series) {
        int bar = 14;
        int gap = 18;
        int groupWidth = Math.max(1, series.size()) * bar + gap;
        int left = 44;
        int top = 34;
        int plotHeight = 220;
        int labelSpace = 110;
        int legendRows = series.size();
        int width = Math.max(360, left + categories.size() * groupWidth + 20);
        int height = top + plotHeight + labelSpace + legendRows * 16 + 10;
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\""
                        + " font-size=\"11\" role=\"img\" aria-label=\"%s\">%n", width, height, esc(title)));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"18\" font-size=\"14\">%s</text>%n", left, esc(title)));
        for (int pct = 0; pct <= 100; pct += 25) {
            double y = top + plotHeight * (1 - pct / 100.0);
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>"
                    + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%d%%</text>%n", left, width - 10, y, y, left - 4,
                    y + 4, pct));
        }
        for (int c = 0; c < categories.size(); c++) {
            int x0 = left + c * groupWidth + gap / 2;
            for (int s = 0; s < series.size(); s++) {
                double v = series.get(s).values()[c];
                if (Double.isNaN(v)) {
                    continue;
                }
                double h = plotHeight * Math.max(0, Math.min(100, v)) / 100.0;
                svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%.1f\" width=\"%d\" height=\"%.1f\""
                                + " fill=\"%s\"><title>%s, %s: %.1f%%</title></rect>%n", x0 + s * bar,
                        top + plotHeight - h, bar - 2, h, COLOURS[s % COLOURS.length], esc(series.get(s).name()),
                        esc(categories.get(c)), v));
            }
            double cx = x0 + series.size() * bar / 2.0;
            double ly = top + plotHeight + 12;
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\""
                    + " transform=\"rotate(-40 %.1f %.1f)\">%s</text>%n", cx, ly, cx, ly, esc(categories.get(c))));
        }
        for (int s = 0; s < series.size(); s++) {
            int y = top + plotHeight + labelSpace + s * 16;
            svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"10\" fill=\"%s\"/>"
                    + "<text x=\"%d\" y=\"%d\">%s</text>%n", left, y, COLOURS[s % COLOURS.length], left + 14, y + 9,
                    esc(series.get(s).name())));
        }
        return svg.append("</svg>\n").toString();
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}

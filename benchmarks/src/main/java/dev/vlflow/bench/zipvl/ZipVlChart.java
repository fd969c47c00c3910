package dev.vlflow.bench.zipvl;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * The benchmark's PNG (Java2D): left, kept ratio per layer; right, prefill speedup vs frames per case, with the
 * Amdahl bounds dashed.
 */
final class ZipVlChart {

    private static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c),
        new Color(0xff7f0e), new Color(0x9467bd), new Color(0x8c564b)};
    private static final int W = 1000;
    private static final int H = 420;

    /** One line of a panel: y per x index. */
    record Series(String name, double[] y, boolean dashed) {
    }

    private ZipVlChart() {
    }

    /**
     * @param keptPerLayer series over layer indices
     * @param frames       x values of the right panel
     * @param speedups     series over {@code frames}
     */
    static void write(Path png, List<Series> keptPerLayer, int[] frames, List<Series> speedups) throws IOException {
        BufferedImage image = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, W, H);
        String[] layers = new String[keptPerLayer.stream().mapToInt(s -> s.y().length).max().orElse(1)];
        for (int i = 0; i < layers.length; i++) {
            layers[i] = Integer.toString(i);
        }
        panel(g, 0, "kept ratio per layer (ZipVL, adaptive)", "layer", layers, keptPerLayer, 1.0);
        String[] xs = new String[frames.length];
        for (int i = 0; i < frames.length; i++) {
            xs[i] = Integer.toString(frames[i]);
        }
        double top = Math.max(1.5, speedups.stream().flatMapToDouble(s -> java.util.Arrays.stream(s.y()))
                .filter(Double::isFinite).max().orElse(1) * 1.1);
        panel(g, W / 2, "prefill speedup vs dense (0.5B shape)", "frames", xs, speedups, top);
        g.dispose();
        ImageIO.write(image, "png", png.toFile());
    }

    private static void panel(Graphics2D g, int x0, String title, String xLabel, String[] xs, List<Series> series,
                              double yMax) {
        int left = x0 + 60;
        int right = x0 + W / 2 - 20;
        int topY = 40;
        int bottom = H - 110;
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.drawString(title, left, 24);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        g.drawLine(left, bottom, right, bottom);
        g.drawLine(left, topY, left, bottom);
        for (int t = 0; t <= 5; t++) {
            double v = yMax * t / 5;
            int y = bottom - (int) Math.round((bottom - topY) * v / yMax);
            g.setColor(new Color(0xdddddd));
            g.drawLine(left + 1, y, right, y);
            g.setColor(Color.BLACK);
            g.drawString(String.format(Locale.ROOT, "%.2f", v), x0 + 18, y + 4);
        }
        Map<Integer, Integer> xPixel = new LinkedHashMap<>();
        for (int i = 0; i < xs.length; i++) {
            int x = xs.length == 1 ? (left + right) / 2 : left + 15 + (right - left - 30) * i / (xs.length - 1);
            xPixel.put(i, x);
            if (xs.length <= 30 || i % 2 == 0) {
                g.drawString(xs[i], x - 6, bottom + 15);
            }
        }
        g.drawString(xLabel, (left + right) / 2 - 15, bottom + 30);
        int legendY = bottom + 48;
        for (int s = 0; s < series.size(); s++) {
            Series line = series.get(s);
            g.setColor(PALETTE[s % PALETTE.length]);
            g.setStroke(line.dashed() ? new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
                    new float[] {6f, 4f}, 0f) : new BasicStroke(2f));
            int px = -1;
            int py = -1;
            for (int i = 0; i < line.y().length && i < xs.length; i++) {
                if (!Double.isFinite(line.y()[i])) {
                    continue;
                }
                int x = xPixel.get(i);
                int y = bottom - (int) Math.round((bottom - topY) * Math.min(line.y()[i], yMax) / yMax);
                g.fillOval(x - 3, y - 3, 6, 6);
                if (px >= 0) {
                    g.drawLine(px, py, x, y);
                }
                px = x;
                py = y;
            }
            int lx = left + (s % 2) * 220;
            int ly = legendY + (s / 2) * 16;
            g.drawLine(lx, ly - 4, lx + 20, ly - 4);
            g.setStroke(new BasicStroke(1f));
            g.setColor(Color.BLACK);
            g.drawString(line.name(), lx + 26, ly);
        }
        g.setStroke(new BasicStroke(1f));
    }
}

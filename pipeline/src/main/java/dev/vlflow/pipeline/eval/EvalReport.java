package dev.vlflow.pipeline.eval;

import dev.vlflow.connectors.videomme.DurationClass;
import dev.vlflow.connectors.videomme.ScoreRule;
import dev.vlflow.connectors.videomme.Scoreboard;
import dev.vlflow.connectors.videomme.Tally;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The evaluation report, one column pair (official rule, lmms-eval rule) per run, so several runs (models, frame
 * counts, engine settings) sit side by side: accuracy overall, per duration, domain, sub-category and task type;
 * then throughput and KV figures. Written as Markdown ({@code report.md}) and HTML with bar charts
 * ({@code report.html}).
 */
public final class EvalReport {

    private static final ScoreRule[] RULES = {ScoreRule.OFFICIAL, ScoreRule.LMMS_EVAL};

    private final List<RunResult> runs;

    public EvalReport(List<RunResult> runs) {
        if (runs.isEmpty()) {
            throw new IllegalArgumentException("a report needs at least one run");
        }
        this.runs = List.copyOf(runs);
    }

    /** Writes {@code report.md} and {@code report.html} into {@code dir}. */
    public void write(Path dir) {
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("report.md"), markdown());
            Files.writeString(dir.resolve("report.html"), html());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write report to " + dir, e);
        }
    }

    /** One table: a row label and, per run, the official and lmms-eval cells. */
    private record Table(String title, List<String> header, List<List<String>> rows) {
    }

    private List<Table> tables() {
        List<Table> out = new ArrayList<>();
        List<String> header = new ArrayList<>(List.of(""));
        for (RunResult r : runs) {
            header.add(r.settings().label() + " (official)");
            header.add(r.settings().label() + " (lmms-eval)");
        }
        List<List<String>> overall = new ArrayList<>();
        overall.add(accuracyRow("Overall", s -> Map.of("Overall", s.overall()), "Overall"));
        for (DurationClass d : DurationClass.values()) {
            if (runs.stream().anyMatch(r -> r.official().byDuration().containsKey(d))) {
                overall.add(accuracyRow(d.label(), s -> labelled(s.byDuration()), d.label()));
            }
        }
        out.add(new Table("Accuracy overall and per duration", header, overall));
        out.add(new Table("Per domain", header, groupRows(Scoreboard::byDomain)));
        out.add(new Table("Per sub-category", header, groupRows(Scoreboard::bySubCategory)));
        out.add(new Table("Per task type", header, groupRows(Scoreboard::byTaskType)));
        out.add(costTable());
        return out;
    }

    private static Map<String, Tally> labelled(Map<DurationClass, Tally> m) {
        Map<String, Tally> out = new java.util.LinkedHashMap<>();
        m.forEach((k, v) -> out.put(k.label(), v));
        return out;
    }

    private List<List<String>> groupRows(Function<Scoreboard, Map<String, Tally>> groups) {
        Set<String> keys = new LinkedHashSet<>();
        for (RunResult r : runs) {
            keys.addAll(groups.apply(r.official()).keySet());
        }
        List<List<String>> rows = new ArrayList<>();
        for (String k : keys) {
            rows.add(accuracyRow(k, groups, k));
        }
        return rows;
    }

    private List<String> accuracyRow(String label, Function<Scoreboard, Map<String, Tally>> groups, String key) {
        List<String> row = new ArrayList<>(List.of(label));
        for (RunResult r : runs) {
            for (ScoreRule rule : RULES) {
                Tally t = groups.apply(r.score(rule)).get(key);
                row.add(t == null ? "-" : t.formatted() + " (" + t.correct() + "/" + t.answered() + ")");
            }
        }
        return row;
    }

    private Table costTable() {
        List<String> header = new ArrayList<>(List.of(""));
        runs.forEach(r -> header.add(r.settings().label()));
        List<List<String>> rows = new ArrayList<>();
        rows.add(costRow("model", r -> r.settings().model()));
        rows.add(costRow("frames / subtitles / prompt / extraction", r -> r.settings().frames() + " / "
                + (r.settings().subtitles() ? "yes" : "no") + " / " + r.settings().prompt().name().toLowerCase(Locale.ROOT)
                + " / " + r.settings().extraction().label()));
        rows.add(costRow("runner (parallelism)", r -> r.settings().runner() + " (" + r.settings().parallelism() + ")"));
        rows.add(costRow("questions (unparseable)", r -> r.predictions().size() + " (" + r.unparseable() + ")"));
        rows.add(costRow("questions per minute", r -> fmt(r.stats().questionsPerMinute(), 2)));
        rows.add(costRow("evaluation / whole run time (s)", r -> fmt(r.stats().thisRun().evalSeconds(), 1) + " / "
                + fmt(r.stats().thisRun().wallSeconds(), 1) + " for " + r.stats().thisRun().questions()
                + " questions"));
        rows.add(costRow("prefix sharing", r -> r.settings().prefixSharing() ? "yes" : "no"));
        rows.add(costRow("prefix prefills", r -> String.valueOf(r.stats().prefixPrefills())));
        rows.add(costRow("prefix tokens computed / reused", r -> r.stats().prefixTokensComputed() + " / "
                + r.stats().prefixTokensReused()));
        rows.add(costRow("mean context / question / generated tokens", r -> fmt(r.stats().meanContextTokens(), 1)
                + " / " + fmt(r.stats().meanPromptTokens(), 1) + " / " + fmt(r.stats().meanGeneratedTokens(), 1)));
        rows.add(costRow("KV cache per question, mean / max (MiB)", r -> fmt(r.stats().meanKvBytes() / 1048576.0, 2)
                + " / " + fmt(r.stats().maxKvBytes() / 1048576.0, 2)));
        rows.add(costRow("frame decode / encode / prefix / answer (s)", r -> fmt(r.stats().decodeSeconds(), 1) + " / "
                + fmt(r.stats().encodeSeconds(), 1) + " / " + fmt(r.stats().prefixSeconds(), 1) + " / "
                + fmt(r.stats().answerSeconds(), 1)));
        rows.add(costRow("failed videos", r -> String.valueOf(r.failures().size())));
        return new Table("Throughput and KV cache", header, rows);
    }

    private List<String> costRow(String label, Function<RunResult, String> cell) {
        List<String> row = new ArrayList<>(List.of(label));
        runs.forEach(r -> row.add(cell.apply(r)));
        return row;
    }

    public String markdown() {
        StringBuilder md = new StringBuilder("# Video-MME evaluation\n\n");
        md.append("Official rule: replies with no extractable letter are left out of the denominator"
                + " (`eval_your_results.py`). lmms-eval rule: they count as wrong. Cells: accuracy (correct/counted).\n");
        for (Table t : tables()) {
            md.append("\n## ").append(t.title()).append("\n\n");
            md.append(mdRow(t.header()));
            md.append("|").append("---|".repeat(t.header().size())).append("\n");
            t.rows().forEach(r -> md.append(mdRow(r)));
        }
        for (RunResult r : runs) {
            if (!r.failures().isEmpty()) {
                md.append("\n### Failed videos: ").append(r.settings().label()).append("\n\n");
                r.failures().forEach(f -> md.append("- ").append(f).append("\n"));
            }
        }
        return md.toString();
    }

    private static String mdRow(List<String> cells) {
        StringBuilder b = new StringBuilder("|");
        cells.forEach(c -> b.append(" ").append(c.replace("|", "\\|")).append(" |"));
        return b.append("\n").toString();
    }

    public String html() {
        StringBuilder h = new StringBuilder("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
                + "<title>Video-MME evaluation</title><style>body{font-family:sans-serif;margin:2em}"
                + "table{border-collapse:collapse;margin-bottom:1.5em}td,th{border:1px solid #ccc;padding:3px 8px;"
                + "text-align:right}td:first-child,th:first-child{text-align:left}</style></head><body>\n");
        h.append("<h1>Video-MME evaluation</h1>\n<p>Official rule: replies with no extractable letter are left out"
                + " of the denominator. lmms-eval rule: they count as wrong.</p>\n");
        h.append(chart("Accuracy overall and per duration", overallCategories(), s -> {
            Map<String, Tally> m = labelled(s.byDuration());
            m.put("Overall", s.overall());
            return m;
        }));
        h.append(chart("Accuracy per task type", keys(Scoreboard::byTaskType), Scoreboard::byTaskType));
        for (Table t : tables()) {
            h.append("<h2>").append(BarChartSvg.esc(t.title())).append("</h2>\n<table><tr>");
            t.header().forEach(c -> h.append("<th>").append(BarChartSvg.esc(c)).append("</th>"));
            h.append("</tr>\n");
            for (List<String> row : t.rows()) {
                h.append("<tr>");
                row.forEach(c -> h.append("<td>").append(BarChartSvg.esc(c)).append("</td>"));
                h.append("</tr>\n");
            }
            h.append("</table>\n");
        }
        return h.append("</body></html>\n").toString();
    }

    private List<String> overallCategories() {
        List<String> cats = new ArrayList<>(List.of("Overall"));
        for (DurationClass d : DurationClass.values()) {
            if (runs.stream().anyMatch(r -> r.official().byDuration().containsKey(d))) {
                cats.add(d.label());
            }
        }
        return cats;
    }

    private List<String> keys(Function<Scoreboard, Map<String, Tally>> groups) {
        Set<String> keys = new LinkedHashSet<>();
        runs.forEach(r -> keys.addAll(groups.apply(r.official()).keySet()));
        return List.copyOf(keys);
    }

    private String chart(String title, List<String> categories, Function<Scoreboard, Map<String, Tally>> groups) {
        List<BarChartSvg.Series> series = new ArrayList<>();
        for (RunResult r : runs) {
            for (ScoreRule rule : RULES) {
                Map<String, Tally> m = groups.apply(r.score(rule));
                double[] v = new double[categories.size()];
                for (int i = 0; i < v.length; i++) {
                    Tally t = m.get(categories.get(i));
                    v[i] = t == null ? Double.NaN : t.percent();
                }
                String ruleName = rule == ScoreRule.OFFICIAL ? "official" : "lmms-eval";
                series.add(new BarChartSvg.Series(r.settings().label() + " (" + ruleName + ")", v));
            }
        }
        return "<figure>" + BarChartSvg.render(title, categories, series) + "</figure>\n";
    }

    private static String fmt(double v, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }
}

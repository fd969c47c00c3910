package dev.vlflow.pipeline.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vlflow.connectors.videomme.PromptStyle;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Two runs side by side: both rules in every table, throughput rows, a chart, and the JSON summary keys. */
class EvalReportTest {

    private static RunResult run(String label, boolean sharing, String... responses) {
        List<Prediction> ps = List.of(
                PredictionLogTest.prediction("001-1", "001", "A", responses[0], sharing),
                PredictionLogTest.prediction("001-2", "001", "B", responses[1], sharing),
                PredictionLogTest.prediction("001-3", "001", "C", responses[2], sharing));
        RunSettings s = new RunSettings(label, "tiny", "videomme.json", 4, false, PromptStyle.OFFICIAL, sharing, 16, 1,
                "plain");
        return new RunResult(s, ps, RunStats.of(ps, new Invocation(3, 1, sharing ? 1 : 3, 30, 40)), List.of());
    }

    @Test
    void comparesRunsUnderBothRules() {
        // run a: A right, B wrong (C), unparseable -> official 1/2 = 50.0%, lmms-eval 1/3 = 33.3%
        RunResult a = run("run-a", true, "A", "C", "");
        // run b: all right -> 100% under both
        RunResult b = run("run-b", false, "A", "B", "The best answer is C");
        String md = new EvalReport(List.of(a, b)).markdown();
        assertTrue(md.contains("| Overall | 50.0% (1/2) | 33.3% (1/3) | 100.0% (3/3) | 100.0% (3/3) |"), md);
        assertTrue(md.contains("| short | 50.0% (1/2) | 33.3% (1/3) |"), md);
        assertTrue(md.contains("| Knowledge |"), md);
        assertTrue(md.contains("| Geography |"), md);
        assertTrue(md.contains("| Counting Problem |"), md);
        assertTrue(md.contains("| questions per minute | 6.00 | 6.00 |"), md);
        assertTrue(md.contains("| prefix prefills | 1 | 3 |"), md);
        assertTrue(md.contains("| prefix tokens computed / reused | 100 / 200 | 300 / 0 |"), md);
        String html = new EvalReport(List.of(a, b)).html();
        assertTrue(html.contains("<svg"), "bar chart");
        // 4 series (2 runs x 2 rules): 4 x (overall, short) + 4 x 1 task type bars, and 4 legend swatches per chart
        assertEquals(4 * 2 + 4 + 2 * 4, count(html, "<rect x="));
    }

    @Test
    void summaryHasTheDocumentedKeys() {
        ObjectNode s = RunSummaryJson.of(run("run-a", true, "A", "C", ""));
        assertEquals(3, s.get("questions").asInt());
        assertEquals(50.0, s.get("accuracy").asDouble());
        assertEquals(50.0, s.get("accuracy_official").asDouble());
        assertEquals(33.33, s.get("accuracy_lmms_eval").asDouble());
        assertEquals(6.0, s.get("questions_per_minute").asDouble());
        assertEquals(1, s.get("prefix_prefills").asInt());
        assertEquals(1, s.get("prefix_prefill_calls_this_run").asInt());
        assertEquals(1, s.get("unparseable").asInt());
        assertEquals("run-a", RunSummaryJson.settings(s).label());
    }

    private static int count(String s, String sub) {
        int n = 0;
        for (int i = s.indexOf(sub); i >= 0; i = s.indexOf(sub, i + 1)) {
            n++;
        }
        return n;
    }
}

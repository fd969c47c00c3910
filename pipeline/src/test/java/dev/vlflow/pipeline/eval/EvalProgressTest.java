package dev.vlflow.pipeline.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vlflow.pipeline.progress.ProgressDisplay;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Without a bar the evaluation prints one plain line per video; with one, the bar carries the figures to 100%. */
class EvalProgressTest {

    private static final List<VideoOutcome> OUTCOMES = List.of(
            new VideoOutcome.Answered("001", List.of(), 1, 0, 1),
            new VideoOutcome.Failed("002", "no video file"),
            new VideoOutcome.Answered("003", List.of(), 1, 0, 1));

    @Test
    void withoutABarEveryVideoGetsAPlainLine() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (EvalProgress p = new EvalProgress(new PrintStream(bytes, true, StandardCharsets.UTF_8),
                ProgressDisplay.none(), 3, 9, 0)) {
            OUTCOMES.forEach(p::videoDone);
        }
        String text = bytes.toString(StandardCharsets.UTF_8);
        List<String> lines = text.lines().toList();
        assertEquals("eval: 3 videos (9 questions) to evaluate, 0 questions already in the log", lines.get(0));
        assertTrue(lines.get(1).startsWith("eval: [1/3 videos] 0 questions, "), lines.get(1));
        assertEquals("eval: video 002 failed: no video file", lines.get(2));
        assertTrue(lines.get(3).startsWith("eval: [2/3 videos]") && lines.get(3).endsWith(", 1 failed"), lines.get(3));
        assertTrue(lines.get(4).startsWith("eval: [3/3 videos]"), lines.get(4));
        assertEquals(5, lines.size());
        assertFalse(text.contains("\u001b") || text.contains("\r"), "no escape codes or carriage returns: " + text);
    }

    @Test
    void withABarTheBarStandsForThePerVideoLines() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        try (EvalProgress p = new EvalProgress(out, new ProgressDisplay.Bars(Optional.of(out)), 3, 9, 0)) {
            OUTCOMES.forEach(p::videoDone);
        }
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertFalse(text.contains("eval: [1/3 videos]"), text);
        assertTrue(text.contains("eval: video 002 failed: no video file"), "failures keep their line: " + text);
        String last = text.substring(text.stripTrailing().lastIndexOf('\r') + 1).strip();
        assertTrue(last.startsWith("eval 100%") && last.contains("3/3 videos") && last.contains("1 failed"), last);
    }
}

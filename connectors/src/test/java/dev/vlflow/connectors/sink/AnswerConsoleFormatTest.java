package dev.vlflow.connectors.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vlflow.connectors.events.Answer;
import dev.vlflow.connectors.events.AnswerEvent;
import dev.vlflow.connectors.events.AnswerStatistics;
import dev.vlflow.connectors.events.AnswerToken;
import dev.vlflow.connectors.events.StopReason;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnswerConsoleFormatTest {

    @Test
    void tokensPrintInlineUnderTheirQuestionThenTheStatistics() {
        var r = new AnswerConsoleFormat().renderer();
        AnswerStatistics stats = new AnswerStatistics(2, 40.0, 60.0, 12, 100, 150L, 1_048_576L, 100 / 150.0, 50L, 0, 0, 0, 0.0, "plain", false);
        String out = r.render(token("a", "q1", 0, "Hello"))
                + r.render(token("b", "q2", 0, "Yes"))
                + r.render(token("a", "q1", 1, " world"))
                + r.render(new AnswerEvent(new Answer("a", "q1", "Hello world", List.of(1, 2), StopReason.STOP_TOKEN,
                        3L, 12, stats)));
        assertEquals("[a] q1: Hello\n[b] q2: Yes\n[a] q1:  world\n"
                + "    (2 tokens, stop token; first token 40 ms, 50.0 tok/s; prefill 12 tokens on 100 cached of 150 "
                + "seen (kept 67%, evicted 50); KV 1.00 MiB; 3 segments, 12 frames)\n", out);
    }

    @Test
    void aOneTokenAnswerHasNoDecodeRate() {
        AnswerStatistics stats = new AnswerStatistics(1, 8.0, 8.0, 78, 133, 133L, 440_000L, 1.0, 0L, 0, 0, 0, 0.0,
                "plain", false);
        String line = AnswerConsoleFormat.statistics(new Answer("a", "q1", "B", List.of(66), StopReason.STOP_TOKEN,
                8L, 8, stats));
        assertEquals("    (1 tokens, stop token; first token 8 ms, no decode steps; prefill 78 tokens on 133 cached of "
                + "133 seen (kept 100%, evicted 0); KV 0.42 MiB; 8 segments, 8 frames)", line);
    }

    @Test
    void speculationFiguresFollowTheStatistics() {
        AnswerStatistics stats = new AnswerStatistics(9, 8.0, 28.0, 78, 133, 133L, 440_000L, 1.0, 0L, 10, 6, 3, 2.67,
                "prompt-lookup(k=8)", false);
        String line = AnswerConsoleFormat.statistics(new Answer("a", "q1", "B", List.of(66), StopReason.STOP_TOKEN,
                8L, 8, stats));
        assertTrue(line.endsWith(" [prompt-lookup(k=8): 6/10 drafts accepted, 2.67 tokens a step]"), line);
        AnswerStatistics lossy = new AnswerStatistics(9, 8.0, 28.0, 78, 133, 133L, 440_000L, 1.0, 0L, 0, 0, 8, 1.0,
                "uls(s=2, lossy)", true);
        assertTrue(AnswerConsoleFormat.statistics(new Answer("a", "q1", "B", List.of(66), StopReason.STOP_TOKEN,
                8L, 8, lossy)).endsWith("[uls(s=2, lossy): 0/0 drafts accepted, 1.00 tokens a step]"));
    }

    private static AnswerEvent token(String stream, String question, int index, String text) {
        return new AnswerEvent(new AnswerToken(stream, question, index, index, text));
    }
}

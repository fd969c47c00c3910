package dev.vlflow.connectors.videomme;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Both scoring rules on six questions whose tallies were counted by hand (see the comments). */
class ScoreboardTest {

    private static ScoredAnswer q(DurationClass d, String domain, String sub, String task, String answer, String reply) {
        return new ScoredAnswer(d, domain, sub, task, answer, AnswerExtractor.extract(reply));
    }

    // q1 correct; q2 wrong; q3 unparseable (long, no letter); q4 correct; q5 wrong ('Best answer:' keeps its B);
    // q6 unparseable (empty)
    private static final List<ScoredAnswer> ANSWERS = List.of(
            q(DurationClass.SHORT, "Knowledge", "Humanity & History", "Counting Problem", "A", "A"),
            q(DurationClass.SHORT, "Knowledge", "Humanity & History", "Object Recognition", "B", "C"),
            q(DurationClass.SHORT, "Knowledge", "Humanity & History", "Counting Problem", "C",
                    "the video does not show enough to decide which one of these is right"),
            q(DurationClass.MEDIUM, "Sports Competition", "Basketball", "Counting Problem", "D", "The best answer is D"),
            q(DurationClass.MEDIUM, "Sports Competition", "Basketball", "Action Recognition", "A", "Best answer: A"),
            q(DurationClass.LONG, "Life Record", "Pet & Animal", "Counting Problem", "B", ""));

    @Test
    void officialLeavesUnparseableOut() {
        Scoreboard s = Scoreboard.of(ScoreRule.OFFICIAL, ANSWERS);
        assertEquals(6, s.questions());
        assertEquals(new Tally(2, 4), s.overall());
        assertEquals("50.0%", s.overall().formatted());
        assertEquals(Map.of(DurationClass.SHORT, new Tally(1, 2), DurationClass.MEDIUM, new Tally(1, 2),
                DurationClass.LONG, new Tally(0, 0)), s.byDuration());
        assertEquals(List.of("Knowledge", "Sports Competition", "Life Record"), List.copyOf(s.byDomain().keySet()));
        assertEquals(new Tally(1, 2), s.byDomain().get("Knowledge"));
        assertEquals(new Tally(1, 2), s.byDomain().get("Sports Competition"));
        assertEquals(new Tally(0, 0), s.byDomain().get("Life Record"));
        assertEquals(new Tally(1, 2), s.bySubCategory().get("Basketball"));
        // taxonomy order: Action Recognition, Object Recognition, Counting Problem
        assertEquals(List.of("Action Recognition", "Object Recognition", "Counting Problem"),
                List.copyOf(s.byTaskType().keySet()));
        assertEquals(new Tally(2, 2), s.byTaskType().get("Counting Problem"));
        assertEquals(new Tally(0, 1), s.byTaskType().get("Object Recognition"));
        assertEquals(new Tally(0, 1), s.byTaskType().get("Action Recognition"));
    }

    @Test
    void lmmsEvalCountsUnparseableWrong() {
        Scoreboard s = Scoreboard.of(ScoreRule.LMMS_EVAL, ANSWERS);
        assertEquals(new Tally(2, 6), s.overall());
        assertEquals("33.3%", s.overall().formatted());
        assertEquals(new Tally(1, 3), s.byDuration().get(DurationClass.SHORT));
        assertEquals(new Tally(1, 2), s.byDuration().get(DurationClass.MEDIUM));
        assertEquals(new Tally(0, 1), s.byDuration().get(DurationClass.LONG));
        assertEquals(new Tally(1, 3), s.byDomain().get("Knowledge"));
        assertEquals(new Tally(0, 1), s.byDomain().get("Life Record"));
        assertEquals(new Tally(1, 3), s.bySubCategory().get("Humanity & History"));
        assertEquals(new Tally(2, 4), s.byTaskType().get("Counting Problem"));
    }

    @Test
    void nothingAnsweredIsZeroPercent() {
        assertEquals("0.0%", Tally.ZERO.formatted());
        Scoreboard s = Scoreboard.of(ScoreRule.OFFICIAL, List.of());
        assertEquals(Tally.ZERO, s.overall());
    }
}

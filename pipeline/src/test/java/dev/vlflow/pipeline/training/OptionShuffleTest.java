package dev.vlflow.pipeline.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vlflow.connectors.videomme.VideoMmeQuestion;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Re-lettering options: exact texts and answers on hand-made questions. */
class OptionShuffleTest {

    private static final VideoMmeQuestion COLOUR = new VideoMmeQuestion("001-1", "Attribute Perception",
            "What colour is the first shape to appear?", List.of("A. Red.", "B. Blue.", "C. Orange.", "D. Green."),
            "B", Optional.of("The first shape is blue."));

    @Test
    void permutesTextsAndMovesTheAnswerLetter() {
        VideoMmeQuestion p = OptionShuffle.permute(COLOUR, new int[] {3, 2, 1, 0});
        assertEquals(List.of("A. Green.", "B. Orange.", "C. Blue.", "D. Red."), p.options());
        assertEquals("C", p.answer());
        assertEquals(COLOUR.question(), p.question());
        assertEquals(COLOUR.answerSentence(), p.answerSentence());
        assertEquals(COLOUR, OptionShuffle.permute(COLOUR, new int[] {0, 1, 2, 3}));
    }

    @Test
    void shufflesKeepTheCorrectTextUnderTheAnswerLetter() {
        Random rng = new Random(5);
        Set<String> letters = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            VideoMmeQuestion s = OptionShuffle.shuffle(COLOUR, rng);
            assertEquals("Blue.", OptionShuffle.texts(s).get(s.answerIndex()));
            assertEquals(Set.copyOf(OptionShuffle.texts(COLOUR)), Set.copyOf(OptionShuffle.texts(s)));
            letters.add(s.answer());
        }
        assertEquals(Set.of("A", "B", "C", "D"), letters);
    }

    @Test
    void findsRepeatedOptionsAndRejectsBadInput() {
        assertFalse(OptionShuffle.hasDuplicateOptions(COLOUR));
        VideoMmeQuestion twice = new VideoMmeQuestion("004-1", "Attribute Perception", "What colour?",
                List.of("A. Orange.", "B. Orange.", "C. Green.", "D. Blue."), "A");
        assertTrue(OptionShuffle.hasDuplicateOptions(twice));
        assertThrows(IllegalArgumentException.class, () -> OptionShuffle.permute(COLOUR, new int[] {0, 0, 1, 2}));
        VideoMmeQuestion unlettered = new VideoMmeQuestion("x", "t", "q", List.of("Red", "Blue"), "A");
        assertThrows(IllegalArgumentException.class, () -> OptionShuffle.texts(unlettered));
    }
}

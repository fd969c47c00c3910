package dev.vlflow.pipeline.training;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vlflow.connectors.videomme.AnswerExtractor;
import dev.vlflow.connectors.videomme.VideoMmeQuestion;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Reasoned answers: the sentence, then the letter, and the official extraction still finds that letter. */
class LetterAnswerTest {

    private static VideoMmeQuestion question(String answer, Optional<String> sentence) {
        return new VideoMmeQuestion("009-2", "Counting Problem", "How many shapes appear in the video?",
                List.of("A. Two.", "B. One.", "C. Three.", "D. Four."), answer, sentence);
    }

    @Test
    void reasonedAnswersEndWithTheLetterTheExtractionFinds() {
        VideoMmeQuestion q = question("C", Optional.of("Three shapes appear."));
        assertEquals("C", LetterAnswer.LETTER.target(q));
        String reasoned = LetterAnswer.REASONED.target(q);
        assertEquals("Three shapes appear. The best answer is C.", reasoned);
        assertEquals(Optional.of("C"), AnswerExtractor.extract(reasoned));
        for (String sentence : List.of("The red square moves left.", "The first shape is blue.",
                "The purple circle appears last.", "The secret word is mango.", "Five shapes appear.")) {
            String letterD = LetterAnswer.REASONED.target(question("D", Optional.of(sentence)));
            assertEquals(Optional.of("D"), AnswerExtractor.extract(letterD), letterD);
        }
    }

    @Test
    void fallsBackToTheLetterWhenTheSentenceWouldMislead() {
        // "Blue" holds a capital B: extraction would read B, so the answer stays the letter alone
        assertEquals("A", LetterAnswer.REASONED.target(question("A", Optional.of("Blue."))));
        assertEquals("A", LetterAnswer.REASONED.target(question("A", Optional.empty())));
        assertEquals(LetterAnswer.REASONED, LetterAnswer.parse("reasoned"));
    }
}

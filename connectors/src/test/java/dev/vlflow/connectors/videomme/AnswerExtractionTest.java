package dev.vlflow.connectors.videomme;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Each extraction rule on concrete replies; expectations worked out by hand from each Python source (official
 * {@code extract_characters_regex}, the parse_answer variant's prefix list, lmms-eval's {@code extract_mcq_answer}).
 */
class AnswerExtractionTest {

    /** reply | official (= lmms-eval-2024) | parse-answer | lmms-eval-2026; an empty cell = unparseable. */
    @ParameterizedTest(name = "[{index}] \"{0}\"")
    @CsvSource(delimiter = '|', value = {
        "A|A|A|A",
        // the examples: 'Answer:' stripped only by parse_answer; lmms-eval-2026 reads the phrase and the end
        "Answer: C|A|C|C",
        "Based on the video, the answer is C.|B|B|C",
        // parentheses outrank the later capitals for 2026; the old rule takes the first capital A-D
        "(B) The man is running.|B|B|B",
        // 2026: two letters after 'the answer is', the later one wins; the old rule removes the phrase and takes B
        "The answer is B, because A is wrong.|B|B|A",
        // 2026: the standalone letter at the end outranks 'C ' (priority end 9 > space 2)
        "I think C is right, not A.|C|C|A",
        // phrases the parse_answer list removes before the first capital
        "The correct option D|D|D|D",
        "Option: B|B|B|B",
        // more than ten words without A-D: unparseable everywhere
        "I cannot tell from these frames what the person is holding in her hand.|||",
        "|||",
    })
    void eachRuleOnConcreteReplies(String reply, String official, String parseAnswer, String lmms2026) {
        String r = reply == null ? "" : reply;
        assertEquals(letter(official), AnswerExtraction.OFFICIAL.extract(r), "official");
        assertEquals(letter(official), AnswerExtraction.LMMS_EVAL_2024.extract(r), "lmms-eval-2024");
        assertEquals(letter(parseAnswer), AnswerExtraction.PARSE_ANSWER.extract(r), "parse-answer");
        assertEquals(letter(lmms2026), AnswerExtraction.LMMS_EVAL_2026.extract(r), "lmms-eval-2026");
    }

    @Test
    void lmmsEval2026Details() {
        // trailing punctuation is stripped before the end-letter check: 'D.' -> 'D' at the end
        assertEquals(Optional.of("D"), McqAnswerExtractor.extract("My answer is D."));
        // a letter inside a word is no candidate until the fallback: 'Because' has no standalone letter
        assertEquals(Optional.of("B"), McqAnswerExtractor.extract("Because"));
        // 'start' (priority 10) beats a later phrase letter
        assertEquals(Optional.of("A"), McqAnswerExtractor.extract("A, although the answer is maybe C"));
        // letters outside A-D are not choices
        assertEquals(Optional.empty(), McqAnswerExtractor.extract("E"));
    }

    @Test
    void namesParseAndUnknownIsRefused() {
        for (AnswerExtraction e : AnswerExtraction.values()) {
            assertEquals(e, AnswerExtraction.parse(e.label()));
        }
        assertEquals(AnswerExtraction.LMMS_EVAL_2026, AnswerExtraction.parse("LMMS_EVAL_2026"));
        String m = assertThrows(IllegalArgumentException.class, () -> AnswerExtraction.parse("lmms-eval")).getMessage();
        assertTrue(m.contains("unknown answer extraction 'lmms-eval'"), m);
    }

    private static Optional<String> letter(String cell) {
        return cell == null || cell.isEmpty() ? Optional.empty() : Optional.of(cell);
    }
}

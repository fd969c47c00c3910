package dev.vlflow.connectors.videomme;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The official {@code extract_characters_regex}, case by case (expected values worked out from the Python source). */
class AnswerExtractorTest {

    /** An empty cell (reply or expectation) stands for the empty string. */
    @ParameterizedTest(name = "[{index}] \"{0}\" -> \"{1}\"")
    @CsvSource(delimiter = '|', value = {
        // plain letters, surrounding text and whitespace
        "A|A",
        "  C  |C",
        "(D)|D",
        "B.|B",
        "D. In Flanders Fields is written during WW1.|D",
        // a free-text reply starting 'Based on...' extracts the B of 'Based'
        "Based on the video, the answer is C.|B",
        // removed phrases
        "The best answer is: D|D",
        "The correct answer is B.|B",
        "The answer is A|A",
        "The answer C|C",
        // the concatenated phrases (missing commas in the source's list) are removed whole...
        "The best option isThe correct option is D|D",
        "Best answer:Best option: C|C",
        // ...so the phrases on their own are not: 'Best answer:' keeps its B
        "Best answer: C|B",
        "The best option is C|C",
        // long answers: no letter -> empty; with a letter -> the first letter
        "the person in the video walks down a long street with a red umbrella in hand|",
        "i think that the right choice here is option D since the ball is red|D",
        // short answers with no letter, lower case letters, empty
        "none of them|",
        "d|",
        "a.|",
        "|",
        // 'Answer:' starts with the letter A
        "Answer: C|A",
    })
    void officialRule(String reply, String expected) {
        Optional<String> want = expected == null ? Optional.empty() : Optional.of(expected);
        assertEquals(want, AnswerExtractor.extract(reply == null ? "" : reply));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        // exactly 10 words without a letter: rule 2 does not fire, rule 3 finds nothing -> empty either way
        "one two three four five six seven eight nine ten",
        // tabs and newlines split words like Python's str.split()
        "one\ttwo\nthree four five six seven eight nine ten eleven",
    })
    void noLetterIsUnparseable(String reply) {
        assertEquals(Optional.empty(), AnswerExtractor.extract(reply));
    }
}

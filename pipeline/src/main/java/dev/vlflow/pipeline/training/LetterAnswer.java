package dev.vlflow.pipeline.training;

import dev.vlflow.connectors.videomme.VideoMmeQuestion;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * How a multiple-choice example is answered.
 * <ul>
 *   <li>{@link #LETTER}: the letter alone, {@code "C"}.</li>
 *   <li>{@link #REASONED}: the answer sentence, then the letter: {@code "Three shapes appear. The best answer is
 *       C."}. The official extraction (and lmms-eval's) drops "The best answer is" and takes the first capital
 *       A-D, which is the letter when the sentence holds none (the synthetic set's sentences never do; a question
 *       whose sentence does, or that has none, is answered with the letter alone). A small model learns this far
 *       faster: it says what it sees first, then only has to find the option matching the words it just wrote.</li>
 * </ul>
 */
public enum LetterAnswer {
    LETTER, REASONED;

    private static final Pattern CAPITAL_CHOICE = Pattern.compile("[ABCD]");

    /** The text to learn for {@code q}'s multiple-choice prompt. */
    public String target(VideoMmeQuestion q) {
        if (this == REASONED && q.answerSentence().isPresent()
                && !CAPITAL_CHOICE.matcher(q.answerSentence().get()).find()) {
            return q.answerSentence().get() + " The best answer is " + q.answer() + ".";
        }
        return q.answer();
    }

    public static LetterAnswer parse(String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "letter" -> LETTER;
            case "reasoned" -> REASONED;
            default -> throw new IllegalArgumentException("unknown letter answer '" + text + "' (letter|reasoned)");
        };
    }
}

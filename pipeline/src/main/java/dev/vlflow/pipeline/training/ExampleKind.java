package dev.vlflow.pipeline.training;

import java.util.Locale;

/**
 * What a training example teaches.
 * <ul>
 *   <li>{@link #LETTER}: the Video-MME multiple-choice prompt (exactly as the evaluation builds it) answered with the
 *       correct letter, {@code "B"}, then {@code <|im_end|>}.</li>
 *   <li>{@link #SENTENCE}: the bare question ("How many shapes appear in the video?") answered with the data set's
 *       sentence ("Three shapes appear."), then {@code <|im_end|>}; gives speculative decoding text to draft.</li>
 *   <li>{@link #LOOKUP}: a training drill: the multiple-choice prompt with the answer sentence written before the
 *       question ("Three shapes appear. How many shapes appear in the video?"), answered with the letter. It
 *       teaches finding the option that matches an answer and replying with its letter (symbol binding), which
 *       the letter examples then need with the answer read from the video; never asked at evaluation.</li>
 * </ul>
 */
public enum ExampleKind {
    LETTER, SENTENCE, LOOKUP;

    /** The name in the export files: {@code letter} or {@code sentence}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ExampleKind parse(String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "letter" -> LETTER;
            case "sentence" -> SENTENCE;
            case "lookup" -> LOOKUP;
            default -> throw new IllegalArgumentException("unknown example kind '" + text
                    + "' (letter|sentence|lookup)");
        };
    }
}

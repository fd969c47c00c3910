package dev.vlflow.connectors.videomme;

import java.util.List;
import java.util.Optional;

/**
 * The answer-letter rule shared by the official {@code eval_your_results.py} and lmms-eval
 * ({@code extract_characters_regex}), reproduced with its quirks:
 * <ol>
 *   <li>strip; remove every occurrence of "The best answer is", "The correct answer is", "The answer is",
 *       "The answer", and, because the source's list literal misses two commas, the concatenated strings
 *       "The best option isThe correct option is" and "Best answer:Best option:" (so "The best option is" and
 *       "Best answer:" on their own are not removed);</li>
 *   <li>more than 10 whitespace-separated words and no {@code [ABCD]} anywhere: unparseable;</li>
 *   <li>otherwise the first {@code [ABCD]} anywhere, case-sensitive (so "Based on..." gives B); none: unparseable.</li>
 * </ol>
 */
public final class AnswerExtractor {

    /** The removed phrases, in the order the source applies them. */
    public static final List<String> REMOVED = List.of("The best answer is", "The correct answer is", "The answer is",
            "The answer", "The best option isThe correct option is", "Best answer:Best option:");

    private AnswerExtractor() {
    }

    /**
     * The phrases the {@code eval_your_results.py} that reads {@code duration}/{@code domain}/{@code sub_category}/
     * {@code options} (the parse_answer variant) removes: the official list with its commas restored between
     * "Best answer:" and "Best option: " (with its trailing space) but not between "The best option is" and
     * "The correct option is", then "Answer:", "Option:", "The correct answer", "The correct option". So
     * "Answer: C" gives C there and A here (the "A" of "Answer").
     */
    public static final List<String> REMOVED_PARSE_ANSWER = List.of("The best answer is", "The correct answer is",
            "The answer is", "The answer", "The best option isThe correct option is", "Best answer:", "Best option: ",
            "Answer:", "Option:", "The correct answer", "The correct option");

    /** The extracted letter, or empty when the reply is unparseable. */
    public static Optional<String> extract(String response) {
        return extract(response, REMOVED);
    }

    /** The same rule after removing {@code removed} (in order) instead of the official phrases. */
    public static Optional<String> extract(String response, List<String> removed) {
        String s = response.strip();
        for (String phrase : removed) {
            s = s.replace(phrase, "");
        }
        int letter = firstLetter(s);
        if (words(s) > 10 && letter < 0) {
            return Optional.empty();
        }
        return letter < 0 ? Optional.empty() : Optional.of(String.valueOf(s.charAt(letter)));
    }

    private static int firstLetter(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 'A' && c <= 'D') {
                return i;
            }
        }
        return -1;
    }

    /** Python's {@code len(s.split())}: runs of whitespace separate words. */
    private static int words(String s) {
        int n = 0;
        boolean in = false;
        for (int i = 0; i < s.length(); i++) {
            boolean ws = Character.isWhitespace(s.charAt(i)) || Character.isSpaceChar(s.charAt(i));
            if (!ws && !in) {
                n++;
            }
            in = !ws;
        }
        return n;
    }
}

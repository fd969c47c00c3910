package dev.vlflow.connectors.videomme;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * lmms-eval's {@code extract_mcq_answer} ({@code lmms_eval/tasks/_task_utils/mcq_extract.py}, used by its
 * multiple-choice tasks since April 2026), with the choices A-D as its other four-option tasks pass them. Rules, in
 * the source's order:
 * <ol>
 *   <li>strip whitespace, then strip each of {@code , . ! ? ; : ' "} from both ends (one character kind after the
 *       other), then pad with one space on each side;</li>
 *   <li>candidates (letter, position, format), each at the letter's <em>last</em> occurrence in that format:
 *       {@code (X)} "parentheses", {@code X.} "period", {@code X:} "colon", {@code X)} "right_paren",
 *       {@code "X "} "space";</li>
 *   <li>for each answer phrase ("the answer is", "answer is", "the correct answer is", ..., "i choose",
 *       "my answer is", and Korean/Chinese/Japanese ones) found (first occurrence, case-insensitive): for every
 *       letter, its first occurrence after the phrase, format "phrase";</li>
 *   <li>the stripped text starts with a letter not followed by a letter: "start"; ends with a letter not preceded by a
 *       letter: "end";</li>
 *   <li>no candidate so far: every letter occurring anywhere, at its last occurrence, "fallback";</li>
 *   <li>the winner: highest format priority (start 10, end 9, phrase 7, parentheses 6, period 5, colon 4,
 *       right_paren 3, space 2, fallback 0), then the latest position; none: unparseable.</li>
 * </ol>
 * Matching is case-sensitive except for the phrases. "Based on the video, the answer is C." gives C (the old rule
 * gives the B of "Based").
 */
public final class McqAnswerExtractor {

    static final List<String> CHOICES = List.of("A", "B", "C", "D");

    /** The source's {@code _ANSWER_PHRASES}, in order. */
    static final List<String> PHRASES = List.of("the answer is", "answer is", "the correct answer is",
            "correct answer is", "the best answer is", "best answer is", "the correct option is", "correct option is",
            "the best option is", "best option is", "the choice is", "choice is", "the correct choice is",
            "correct choice is", "i choose", "i select", "i pick", "my answer is", "my choice is",
            "\uC635\uC158", "\uC815\uB2F5\uC740", "\uB2F5\uC740", "\uB2F5:", // Korean
            "\u7B54\u6848\u662F", "\u7B54\u6848\u4E3A", "\u9009", // Chinese
            "\u7B54\u3048\u306F"); // Japanese

    private record Candidate(String letter, int position, int priority) {
    }

    private McqAnswerExtractor() {
    }

    public static Optional<String> extract(String response) {
        if (response == null || response.isBlank()) {
            return Optional.empty();
        }
        String text = response.strip();
        for (char c : new char[] {',', '.', '!', '?', ';', ':', '\'', '"'}) {
            text = stripChar(text, c);
        }
        text = " " + text + " ";
        List<Candidate> candidates = new ArrayList<>();
        addLast(candidates, text, "(%s)", 6);
        addLast(candidates, text, "%s.", 5);
        addLast(candidates, text, "%s:", 4);
        addLast(candidates, text, "%s)", 3);
        addLast(candidates, text, "%s ", 2);
        String lower = text.toLowerCase(Locale.ROOT);
        for (String phrase : PHRASES) {
            int idx = lower.indexOf(phrase);
            if (idx >= 0) {
                int after = idx + phrase.length();
                for (String ch : CHOICES) {
                    int at = text.indexOf(ch, after);
                    if (at >= 0) {
                        candidates.add(new Candidate(ch, at, 7));
                    }
                }
            }
        }
        String stripped = text.strip();
        for (String ch : CHOICES) {
            if (stripped.startsWith(ch) && (stripped.length() == 1 || !Character.isLetter(stripped.charAt(1)))) {
                candidates.add(new Candidate(ch, 0, 10));
            }
        }
        for (String ch : CHOICES) {
            if (stripped.endsWith(ch)
                    && (stripped.length() == 1 || !Character.isLetter(stripped.charAt(stripped.length() - 2)))) {
                candidates.add(new Candidate(ch, text.length() - 1, 9));
            }
        }
        if (candidates.isEmpty()) {
            addLast(candidates, text, "%s", 0);
        }
        return candidates.stream()
                .max(Comparator.comparingInt(Candidate::priority).thenComparingInt(Candidate::position))
                .map(Candidate::letter);
    }

    private static void addLast(List<Candidate> candidates, String text, String format, int priority) {
        for (String ch : CHOICES) {
            String needle = String.format(Locale.ROOT, format, ch);
            int at = text.lastIndexOf(needle);
            if (at >= 0) {
                candidates.add(new Candidate(ch, at, priority));
            }
        }
    }

    /** Python's {@code str.strip(c)}: every {@code c} off both ends. */
    private static String stripChar(String s, char c) {
        int from = 0;
        int to = s.length();
        while (from < to && s.charAt(from) == c) {
            from++;
        }
        while (to > from && s.charAt(to - 1) == c) {
            to--;
        }
        return s.substring(from, to);
    }
}

package dev.vlflow.connectors.videomme;

import java.util.Locale;
import java.util.Optional;

/**
 * Whose answer-letter extraction turns a reply into A-D; chosen once per run ({@code eval videomme --extract}).
 * The default, {@link #OFFICIAL}, is what vlflow always used.
 */
public enum AnswerExtraction {
    /** The official {@code eval_your_results.py} (June 2024): {@link AnswerExtractor}. */
    OFFICIAL("official"),
    /**
     * lmms-eval's {@code videomme} task until April 2026: the same {@code extract_characters_regex} as the official
     * script (identical letters; lmms-eval differs only in counting unparseable replies as wrong).
     */
    LMMS_EVAL_2024("lmms-eval-2024"),
    /** lmms-eval's {@code extract_mcq_answer} (since April 2026): {@link McqAnswerExtractor}. */
    LMMS_EVAL_2026("lmms-eval-2026"),
    /**
     * The {@code eval_your_results.py} of the parse_answer repository (the one the Video-MME README links today):
     * the official rule plus the prefixes {@link AnswerExtractor#REMOVED_PARSE_ANSWER} lists.
     */
    PARSE_ANSWER("parse-answer");

    private final String label;

    AnswerExtraction(String label) {
        this.label = label;
    }

    /** The command-line name. */
    public String label() {
        return label;
    }

    /** The extracted letter, or empty when the reply is unparseable under this rule. */
    public Optional<String> extract(String reply) {
        return switch (this) {
            case OFFICIAL, LMMS_EVAL_2024 -> AnswerExtractor.extract(reply);
            case LMMS_EVAL_2026 -> McqAnswerExtractor.extract(reply);
            case PARSE_ANSWER -> AnswerExtractor.extract(reply, AnswerExtractor.REMOVED_PARSE_ANSWER);
        };
    }

    /** Parses a command-line name: official, lmms-eval-2024, lmms-eval-2026 or parse-answer. */
    public static AnswerExtraction parse(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        for (AnswerExtraction e : values()) {
            if (e.label.equals(n)) {
                return e;
            }
        }
        throw new IllegalArgumentException("unknown answer extraction '" + name
                + "' (expected official, lmms-eval-2024, lmms-eval-2026 or parse-answer)");
    }
}

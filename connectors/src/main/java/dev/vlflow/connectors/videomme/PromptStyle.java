package dev.vlflow.connectors.videomme;

/** Whose prompt wording to use. */
public enum PromptStyle {
    /** The official Video-MME README template. */
    OFFICIAL,
    /**
     * lmms-eval's {@code videomme} task: its instruction mentions "the video and the subtitles" even without
     * subtitles, and its default post-prompt differs.
     */
    LMMS_EVAL;

    /** Parses {@code official} or {@code lmms-eval} (also {@code lmms_eval}). */
    public static PromptStyle parse(String name) {
        return switch (name.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "official" -> OFFICIAL;
            case "lmms-eval", "lmms_eval", "lmmseval" -> LMMS_EVAL;
            default -> throw new IllegalArgumentException("unknown prompt style '" + name
                    + "' (expected official or lmms-eval)");
        };
    }
}

package dev.vlflow.engine.model;

/**
 * The two tensor-name layouts of Hugging Face LLaVA-OneVision checkpoints. Canonical names (what {@link Weights}
 * speaks) are those of {@link #CURRENT}.
 *
 * <pre>
 * canonical / CURRENT (transformers >= 4.52)      LEGACY (2024 converter, llava-hf hub files)
 * model.language_model.*                     <->  language_model.model.*
 * lm_head.*                                  <->  language_model.lm_head.*
 * model.vision_tower.*                       <->  vision_tower.*
 * model.multi_modal_projector.*              <->  multi_modal_projector.*
 * model.image_newline                        <->  image_newline
 * </pre>
 */
public enum TensorLayout {
    CURRENT, LEGACY;

    private static final String[][] PREFIXES = {
            // {canonical, legacy}
            {"model.language_model.", "language_model.model."},
            {"lm_head.", "language_model.lm_head."},
            {"model.vision_tower.", "vision_tower."},
            {"model.multi_modal_projector.", "multi_modal_projector."},
    };
    private static final String NEWLINE = "model.image_newline";
    private static final String LEGACY_NEWLINE = "image_newline";

    /** The name a canonical tensor has in this layout. */
    public String stored(String canonical) {
        if (this == CURRENT) {
            return canonical;
        }
        if (canonical.equals(NEWLINE)) {
            return LEGACY_NEWLINE;
        }
        for (String[] p : PREFIXES) {
            if (canonical.startsWith(p[0])) {
                return p[1] + canonical.substring(p[0].length());
            }
        }
        return canonical;
    }

    /** The canonical name of a tensor stored under {@code name} in either layout (unknown names pass through). */
    public static String canonical(String name) {
        if (name.equals(LEGACY_NEWLINE)) {
            return NEWLINE;
        }
        for (String[] p : PREFIXES) {
            if (name.startsWith(p[1])) {
                return p[0] + name.substring(p[1].length());
            }
        }
        return name;
    }

    /** The command-line spelling: {@code current} or {@code legacy}. */
    public static TensorLayout parse(String text) {
        return switch (text.toLowerCase(java.util.Locale.ROOT)) {
            case "current" -> CURRENT;
            case "legacy" -> LEGACY;
            default -> throw new IllegalArgumentException("unknown tensor layout '" + text + "' (current|legacy)");
        };
    }
}

package dev.vlflow.connectors.videomme;

import java.util.Locale;

/** Video-MME's three duration classes (short &lt; 2 min, medium 4-15 min, long 30-60 min in the real set). */
public enum DurationClass {
    SHORT("short"),
    MEDIUM("medium"),
    LONG("long");

    private final String label;

    DurationClass(String label) {
        this.label = label;
    }

    /** The label the annotation files use ({@code short}, {@code medium}, {@code long}). */
    public String label() {
        return label;
    }

    public static DurationClass fromLabel(String label) {
        String l = label.trim().toLowerCase(Locale.ROOT);
        for (DurationClass d : values()) {
            if (d.label.equals(l)) {
                return d;
            }
        }
        throw new IllegalArgumentException("unknown Video-MME duration class '" + label
                + "' (expected short, medium or long)");
    }
}

package dev.vlflow.vision;

import java.util.Arrays;
import java.util.Objects;

/**
 * What near-duplicate removal did.
 *
 * @param rule                the rule applied
 * @param candidates          frames the policy selected
 * @param droppedSourceFrames source frame indices (presentation order) of the frames dropped as duplicates
 */
public record DedupStats(Dedup rule, int candidates, long[] droppedSourceFrames) {

    public DedupStats {
        Objects.requireNonNull(rule, "rule");
        droppedSourceFrames = droppedSourceFrames.clone();
        if (candidates < droppedSourceFrames.length) {
            throw new IllegalArgumentException("dropped more frames than were selected");
        }
    }

    /** Frames dropped. */
    public int dropped() {
        return droppedSourceFrames.length;
    }

    /** Frames kept. */
    public int kept() {
        return candidates - droppedSourceFrames.length;
    }

    @Override
    public long[] droppedSourceFrames() {
        return droppedSourceFrames.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DedupStats d && d.rule.equals(rule) && d.candidates == candidates
                && Arrays.equals(d.droppedSourceFrames, droppedSourceFrames);
    }

    @Override
    public int hashCode() {
        return Objects.hash(rule, candidates, Arrays.hashCode(droppedSourceFrames));
    }

    @Override
    public String toString() {
        return "DedupStats[rule=" + rule + ", candidates=" + candidates + ", dropped="
                + Arrays.toString(droppedSourceFrames) + "]";
    }
}

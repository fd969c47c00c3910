package dev.vlflow.pipeline.attention;

import dev.vlflow.engine.runtime.AttentionProfile;
import java.util.Arrays;

/**
 * ZipVL's adaptive ratio (ALGORITHMS.md 1.3) restricted to the video: with {@code a_j} the probes' mass on video slot
 * {@code j}, {@code p} is the smallest {@code k} such that the {@code k} largest {@code a_j} sum to at least
 * {@code tau * sum_j a_j}.
 */
public final class VisualConcentration {

    private VisualConcentration() {
    }

    /** The smallest number of entries of {@code mass} whose sum reaches {@code tau} of the total (0 if it is 0). */
    public static int tokensFor(float[] mass, double tau) {
        if (!(tau > 0 && tau <= 1)) {
            throw new IllegalArgumentException("tau must be in (0, 1], got " + tau);
        }
        float[] sorted = mass.clone();
        Arrays.sort(sorted);
        double total = 0;
        for (float m : sorted) {
            if (m < 0 || Float.isNaN(m)) {
                throw new IllegalArgumentException("attention mass must be non-negative, got " + m);
            }
            total += m;
        }
        double target = tau * total;
        double kept = 0;
        int k = 0;
        while (kept < target && k < sorted.length) {
            kept += sorted[sorted.length - 1 - k];
            k++;
        }
        return k;
    }

    /** One layer's figures for the video slots at key positions {@code [videoStart, videoEnd)}. */
    public static LayerConcentration of(AttentionProfile profile, int layer, int videoStart, int videoEnd,
                                        double tau) {
        float[] visual = profile.mass(layer, videoStart, videoEnd); // [visualTokens]
        double onVideo = 0;
        for (float m : visual) {
            onVideo += m;
        }
        double total = profile.total(layer);
        int k = tokensFor(visual, tau);
        return new LayerConcentration(layer, visual.length, total > 0 ? onVideo / total : 0, k,
                (double) k / visual.length);
    }
}

package dev.vlflow.engine.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

/** Element-wise comparison with an absolute tolerance; the failure names the worst element. */
final class Close {

    private Close() {
    }

    static void assertClose(float[] expected, float[] actual, double tolerance, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        double worst = 0;
        int at = -1;
        for (int i = 0; i < expected.length; i++) {
            double d = Math.abs((double) expected[i] - actual[i]);
            if (!(d <= worst)) {
                worst = d;
                at = i;
            }
        }
        double max = worst;
        int index = at;
        assertTrue(max <= tolerance, () -> what + ": max |diff| " + max + " > " + tolerance + " at " + index
                + " (expected " + expected[index] + ", got " + actual[index] + ")");
    }

    /** Uniform values in [-scale, scale]. */
    static float[] random(int n, double scale, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (scale * (2 * r.nextDouble() - 1));
        }
        return x;
    }
}

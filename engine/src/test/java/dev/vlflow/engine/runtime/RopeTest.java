package dev.vlflow.engine.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Linear RoPE scaling against its definition: rotating at position p with factor f = plain RoPE at p / f. */
class RopeTest {

    @Test
    void linearFactorDividesEveryFrequency() {
        Rope plain = new Rope(8, 1e6);
        Rope linear = new Rope(8, 1e6, 4.0);
        for (int i = 0; i < 4; i++) {
            assertEquals(plain.inverseFrequency(i) / 4f, linear.inverseFrequency(i), 0f);
        }
        assertEquals(1f, plain.inverseFrequency(0), 0f);
        assertEquals((float) (1.0 / Math.pow(1e6, 0.25)), plain.inverseFrequency(1), 0f);
    }

    @Test
    void linearRotationAtPEqualsPlainRotationAtPOverFactor() {
        float[] x = {1, 2, 3, 4, 5, 6, 7, 8};
        float[] scaled = x.clone();
        float[] reference = x.clone();
        new Rope(8, 1e4, 2.0).apply(scaled, 1, 1, new int[] {12});
        new Rope(8, 1e4).apply(reference, 1, 1, new int[] {6});
        assertArrayEquals(reference, scaled, 1e-5f);
    }
}

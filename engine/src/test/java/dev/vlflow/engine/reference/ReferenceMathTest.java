package dev.vlflow.engine.reference;

import org.junit.jupiter.api.Test;

import java.nio.FloatBuffer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReferenceMathTest {

    private static FloatBuffer buf(float... v) {
        return FloatBuffer.wrap(v);
    }

    @Test
    void erfMatchesKnownValuesTo1e15() {
        // Reference values: erf to 16 significant digits (e.g. Abramowitz-Stegun table 7.1; Python math.erf).
        assertEquals(0.0, ReferenceMath.erf(0.0), 0.0);
        assertEquals(0.5204998778130465, ReferenceMath.erf(0.5), 1e-15);
        assertEquals(0.8427007929497149, ReferenceMath.erf(1.0), 1e-15);
        assertEquals(0.9953222650189527, ReferenceMath.erf(2.0), 1e-15);
        assertEquals(0.9999779095030014, ReferenceMath.erf(3.0), 1e-15);
        assertEquals(1.0 - 1.541725790028002e-08, ReferenceMath.erf(4.0), 1e-15);
        assertEquals(-0.999593047982555, ReferenceMath.erf(-2.5), 1e-15);
        // Small x: erf(x) ~ 2x/sqrt(pi) - 2x^3/(3 sqrt(pi)).
        assertEquals(0.0011283787909692365, ReferenceMath.erf(1e-3), 1e-18);
        assertEquals(1.0, ReferenceMath.erf(7.0), 0.0);
        assertEquals(-1.0, ReferenceMath.erf(-40.0), 0.0);
    }

    @Test
    void erfIsOddAndMonotone() {
        double previous = -1.0;
        for (double x = -6.5; x <= 6.5; x += 0.01) {
            double e = ReferenceMath.erf(x);
            assertEquals(-e, ReferenceMath.erf(-x), 1e-16, "odd at " + x);
            assertTrue(e >= previous - 1e-16, "monotone at " + x);
            previous = e;
        }
    }

    @Test
    void geluErfIsXTimesNormalCdfAndTanhVariantStaysWithin5e4() {
        // gelu(x) = x * Phi(x); Phi(1) = 0.8413447460685429, Phi(-1) = 0.15865525393145707.
        assertEquals(0.8413447460685429, ReferenceMath.geluErf(1.0), 1e-15);
        assertEquals(-0.15865525393145707, ReferenceMath.geluErf(-1.0), 1e-15);
        assertEquals(1.9544997361036416, ReferenceMath.geluErf(2.0), 1e-15);
        // tanh form, by hand: 0.5 * 1 * (1 + tanh(sqrt(2/pi) * 1.044715)).
        assertEquals(0.5 * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * 1.044715)), ReferenceMath.geluTanh(1.0), 1e-15);
        assertEquals(0.8411919906082768, ReferenceMath.geluTanh(1.0), 1e-15);
        double maxDiff = 0;
        for (double x = -6; x <= 6; x += 1e-3) {
            maxDiff = Math.max(maxDiff, Math.abs(ReferenceMath.geluErf(x) - ReferenceMath.geluTanh(x)));
        }
        // The two GELUs are different functions: they differ by at most ~4.7e-4 (near |x| = 2.7), not by zero.
        assertTrue(maxDiff > 4e-4 && maxDiff < 5e-4, "max |gelu_erf - gelu_tanh| = " + maxDiff);
    }

    @Test
    void activationsByConfigName() {
        assertEquals(ReferenceMath.geluErf(0.7), ReferenceMath.activation("gelu", 0.7), 0.0);
        assertEquals(ReferenceMath.geluTanh(0.7), ReferenceMath.activation("gelu_pytorch_tanh", 0.7), 0.0);
        assertEquals(0.7 / (1 + Math.exp(-0.7)), ReferenceMath.activation("silu", 0.7), 1e-15);
        assertThrows(IllegalArgumentException.class, () -> ReferenceMath.activation("relu6", 0.7));
    }

    @Test
    void rmsNormByHand() {
        // mean(x^2) = (1 + 4 + 9 + 16) / 4 = 7.5
        float[] y = ReferenceMath.rmsNorm(new float[] {1, 2, 3, 4}, 1, 4, buf(1, 1, 2, 0.5f), 1e-6);
        double inv = 1 / Math.sqrt(7.5 + 1e-6);
        assertArrayEquals(new float[] {(float) inv, (float) (2 * inv), (float) (6 * inv), (float) (2 * inv)}, y, 1e-7f);
        // rows are independent: a second row [0, 0, 0, 3] has mean(x^2) = 2.25
        float[] two = ReferenceMath.rmsNorm(new float[] {1, 2, 3, 4, 0, 0, 0, 3}, 2, 4, buf(1, 1, 1, 1), 0.0);
        assertEquals(3 / 1.5f, two[7], 1e-7f);
    }

    @Test
    void layerNormByHand() {
        // mean 2.5, biased variance (2.25 + 0.25 + 0.25 + 2.25) / 4 = 1.25
        float[] y = ReferenceMath.layerNorm(new float[] {1, 2, 3, 4}, 1, 4, buf(1, 2, 1, 1), buf(0, 0, 1, -1), 0.0);
        double s = Math.sqrt(1.25);
        assertArrayEquals(new float[] {(float) (-1.5 / s), (float) (2 * -0.5 / s), (float) (0.5 / s + 1),
                (float) (1.5 / s - 1)}, y, 1e-6f);
    }

    @Test
    void linearUsesOutInLayout() {
        // W [out=3, in=2]; x [rows=2, in=2]
        FloatBuffer w = buf(1, 0, 0, 1, 2, -1);
        float[] y = ReferenceMath.linearWithBias(new float[] {3, 4, -1, 5}, 2, 2, w, buf(0.5f, 0, 1), 3);
        assertArrayEquals(new float[] {3.5f, 4, 3, -0.5f, 5, -6}, y, 0f);
        assertArrayEquals(new float[] {3, 4, 2}, ReferenceMath.linear(new float[] {3, 4}, 1, 2, w, 3), 0f);
        assertThrows(IllegalArgumentException.class, () -> ReferenceMath.linear(new float[] {3, 4}, 1, 2, w, 2));
    }

    @Test
    void softmaxIsStableForLargeScores() {
        double[] p = ReferenceMath.softmax(new double[] {1000, 1000 + Math.log(3), 0}, 2);
        assertEquals(2, p.length);
        assertEquals(0.25, p[0], 1e-12);   // 1000 + ln 3 itself carries a 1e-13 rounding
        assertEquals(0.75, p[1], 1e-12);
    }
}

package dev.vlflow.engine.reference;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class ReferenceAttentionTest {

    private static final double SQRT2 = Math.sqrt(2);

    @Test
    void ropeRotatesPairsIAndIPlusHalf() {
        // head_dim 4, theta 10000: inv_freq = [1, 10000^(-1/2) = 0.01]; pairs (0,2) and (1,3).
        float[] x = {1, 0, 0, 0,     // pos 1: pair (0,2) rotated by 1 rad
                     0, 1, 0, 0,     // pos 2: pair (1,3) rotated by 0.02 rad
                     1, 2, 3, 4};    // pos 0: unchanged
        float[] y = ReferenceAttention.rope(x, new int[] {1, 2, 0}, 1, 4, 10000.0);
        assertArrayEquals(new float[] {(float) Math.cos(1), 0, (float) Math.sin(1), 0,
                0, (float) Math.cos(0.02), 0, (float) Math.sin(0.02),
                1, 2, 3, 4}, y, 1e-7f);
        // A general vector at pos 3 on pair (0,2): [a, c] -> [a cos - c sin, c cos + a sin]
        float[] z = ReferenceAttention.rope(new float[] {2, 0, -1, 0}, new int[] {3}, 1, 4, 10000.0);
        assertEquals(2 * Math.cos(3) + Math.sin(3), z[0], 1e-6);
        assertEquals(-Math.cos(3) + 2 * Math.sin(3), z[2], 1e-6);
    }

    @Test
    void ropeAppliesTheSameRotationToEveryHead() {
        float[] x = {1, 2, 3, 4, 1, 2, 3, 4};
        float[] y = ReferenceAttention.rope(x, new int[] {5}, 2, 4, 100.0);
        assertArrayEquals(Arrays.copyOfRange(y, 0, 4), Arrays.copyOfRange(y, 4, 8), 0f);
    }

    @Test
    void ropeDotProductDependsOnlyOnRelativePosition() {
        SplittableRandom rnd = new SplittableRandom(7);
        int d = 8;
        float[] q = new float[d];
        float[] k = new float[d];
        for (int i = 0; i < d; i++) {
            q[i] = (float) rnd.nextDouble(-1, 1);
            k[i] = (float) rnd.nextDouble(-1, 1);
        }
        double base = dotAt(q, 7, k, 3, d);
        for (int shift : new int[] {1, 10, 100}) {
            assertEquals(base, dotAt(q, 7 + shift, k, 3 + shift, d), 1e-5, "shift " + shift);
        }
        // ...and it does depend on the distance.
        assertEquals(false, Math.abs(base - dotAt(q, 8, k, 3, d)) < 1e-3);
    }

    private static double dotAt(float[] q, int m, float[] k, int n, int d) {
        float[] qm = ReferenceAttention.rope(q, new int[] {m}, 1, d, 10000.0);
        float[] kn = ReferenceAttention.rope(k, new int[] {n}, 1, d, 10000.0);
        double dot = 0;
        for (int i = 0; i < d; i++) {
            dot += qm[i] * kn[i];
        }
        return dot;
    }

    @Test
    void causalGqaOnThreeTokensByHand() {
        // 4 query heads, 2 KV heads (heads 0,1 read KV 0; heads 2,3 read KV 1), head_dim 2, scale 1/sqrt(2).
        // KV head 0 keys: k0 = [0,0], k1 = [1,0], k2 = [0,1]; KV head 1 keys all zero (uniform attention).
        float[] k = {0, 0, 0, 0,
                     1, 0, 0, 0,
                     0, 1, 0, 0};
        float[] v = {1, 0, 10, 20,
                     0, 1, 30, 40,
                     2, 2, 50, 60};
        double ln2 = Math.log(2);
        double ln3 = Math.log(3);
        float[] q = {
                9, 9, 0, 0, 0, 0, 0, 0,                                      // token 0: sees only itself
                (float) (SQRT2 * ln3), 0, 0, 5, 0, 0, 0, 0,                  // token 1
                (float) (SQRT2 * ln2), (float) (SQRT2 * ln2), 0, 0, 0, 0, 0, 0};   // token 2
        float[] out = ReferenceAttention.causalGqa(q, k, v, 3, 4, 2, 2);
        // token 0: every head returns its KV head's v0.
        assertArrayEquals(new float[] {1, 0, 1, 0, 10, 20, 10, 20}, Arrays.copyOfRange(out, 0, 8), 1e-6f);
        // token 1, head 0: scores [0, ln 3] -> weights [1/4, 3/4]; head 1: q.k = 0 for both -> [1/2, 1/2];
        // heads 2, 3 (KV 1): uniform over v0, v1 of KV 1 -> [20, 30].
        assertArrayEquals(new float[] {0.25f, 0.75f, 0.5f, 0.5f, 20, 30, 20, 30},
                Arrays.copyOfRange(out, 8, 16), 1e-6f);
        // token 2, head 0: scores [0, ln 2, ln 2] -> [1/5, 2/5, 2/5] -> [0.2 + 0.8, 0.4 + 0.8];
        // head 1: q = 0 -> uniform thirds -> [1, 1]; KV 1 heads: uniform -> [30, 40].
        assertArrayEquals(new float[] {1.0f, 1.2f, 1, 1, 30, 40, 30, 40},
                Arrays.copyOfRange(out, 16, 24), 1e-6f);
    }

    @Test
    void bidirectionalSeesLaterTokens() {
        // one head, head_dim 1, zero queries: every token averages all values.
        float[] out = ReferenceAttention.bidirectional(new float[] {0, 0, 0}, new float[] {1, 2, 3},
                new float[] {3, 6, 9}, 3, 1, 1);
        assertArrayEquals(new float[] {6, 6, 6}, out, 1e-6f);
        // scores scaled by 1/sqrt(1): token 0 with q = ln 2 vs keys [0, 1]: weights [1/3, 2/3].
        float[] two = ReferenceAttention.bidirectional(new float[] {(float) Math.log(2), 0}, new float[] {0, 1},
                new float[] {0, 3}, 2, 1, 1);
        assertEquals(2.0f, two[0], 1e-6f);
        assertEquals(1.5f, two[1], 1e-6f);
    }
}

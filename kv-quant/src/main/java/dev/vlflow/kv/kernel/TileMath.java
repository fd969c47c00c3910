package dev.vlflow.kv.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The scoring micro-kernel shared by the attention kernels: a channel-major key tile against a GQA group of query
 * heads, register-blocked over up to eight heads (weighted value sums are in {@link ValueSums}). Their scalar twins are the plain loops of
 * {@link dev.vlflow.kv.FloatAttention} and {@link PagedAttentionScalar}.
 */
final class TileMath {

    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();

    private TileMath() {
    }

    /**
     * Scores the {@code lanes} keys of a channel-major tile against {@code group} query heads:
     * {@code dst[dstOff + g * stride + t] = scale · Σ_c q[qBase + g*d + c] · keys[kOff + c * lanes + t]}.
     * Needs {@code lanes % L == 0}. Each key row is loaded once for up to eight heads; no horizontal sums.
     *
     * @param keys [d][lanes] from {@code kOff}
     */
    static void scoreTile(float[] q, int qBase, int group, int d, float[] keys, int kOff, int lanes, float scale,
                          float[] dst, int dstOff, int stride) {
        int lc0 = 0;
        if (lanes % (2 * L) == 0) {
            for (; lc0 < lanes; lc0 += 2 * L) {
                int g = 0;
                for (; group - g >= 5; g += Math.min(8, group - g)) {
                    scoreOctetWide(q, qBase + g * d, Math.min(8, group - g), d, keys, kOff, lanes, lc0, scale, dst,
                            dstOff + g * stride + lc0, stride);
                }
                for (; g + 4 <= group; g += 4) {
                    scoreQuadWide(q, qBase + g * d, d, keys, kOff, lanes, lc0, scale, dst, dstOff + g * stride + lc0,
                            stride);
                }
                for (; g + 2 <= group; g += 2) {
                    scorePairWide(q, qBase + g * d, d, keys, kOff, lanes, lc0, scale, dst, dstOff + g * stride + lc0,
                            stride);
                }
                if (g < group) {
                    scoreNarrow(q, qBase, g, group, d, keys, kOff, lanes, lc0, scale, dst, dstOff, stride);
                    scoreNarrow(q, qBase, g, group, d, keys, kOff, lanes, lc0 + L, scale, dst, dstOff, stride);
                }
            }
            return;
        }
        for (int lc = 0; lc < lanes; lc += L) {
            scoreNarrow(q, qBase, 0, group, d, keys, kOff, lanes, lc, scale, dst, dstOff, stride);
        }
    }

    /**
     * Five to eight heads ({@code n}) against two lane chunks: 2 key loads and 8 query broadcasts feed 16 FMAs per
     * channel (a GQA group of 7 in one pass; heads past n repeat the last one and are not stored).
     */
    private static void scoreOctetWide(float[] q, int q0, int n, int d, float[] keys, int kOff, int lanes, int lc,
                                       float scale, float[] dst, int o, int stride) {
        int q4 = q0 + 4 * d;
        int q5 = q0 + Math.min(5, n - 1) * d;
        int q6 = q0 + Math.min(6, n - 1) * d;
        int q7 = q0 + Math.min(7, n - 1) * d;
        FloatVector a0 = FloatVector.zero(S);
        FloatVector a1 = a0;
        FloatVector a2 = a0;
        FloatVector a3 = a0;
        FloatVector a4 = a0;
        FloatVector a5 = a0;
        FloatVector a6 = a0;
        FloatVector a7 = a0;
        FloatVector b0 = a0;
        FloatVector b1 = a0;
        FloatVector b2 = a0;
        FloatVector b3 = a0;
        FloatVector b4 = a0;
        FloatVector b5 = a0;
        FloatVector b6 = a0;
        FloatVector b7 = a0;
        for (int c = 0; c < d; c++) {
            int row = kOff + c * lanes + lc;
            FloatVector k = FloatVector.fromArray(S, keys, row);
            FloatVector kk = FloatVector.fromArray(S, keys, row + L);
            FloatVector x = FloatVector.broadcast(S, q[q0 + c]);
            a0 = k.fma(x, a0);
            b0 = kk.fma(x, b0);
            x = FloatVector.broadcast(S, q[q0 + d + c]);
            a1 = k.fma(x, a1);
            b1 = kk.fma(x, b1);
            x = FloatVector.broadcast(S, q[q0 + 2 * d + c]);
            a2 = k.fma(x, a2);
            b2 = kk.fma(x, b2);
            x = FloatVector.broadcast(S, q[q0 + 3 * d + c]);
            a3 = k.fma(x, a3);
            b3 = kk.fma(x, b3);
            x = FloatVector.broadcast(S, q[q4 + c]);
            a4 = k.fma(x, a4);
            b4 = kk.fma(x, b4);
            x = FloatVector.broadcast(S, q[q5 + c]);
            a5 = k.fma(x, a5);
            b5 = kk.fma(x, b5);
            x = FloatVector.broadcast(S, q[q6 + c]);
            a6 = k.fma(x, a6);
            b6 = kk.fma(x, b6);
            x = FloatVector.broadcast(S, q[q7 + c]);
            a7 = k.fma(x, a7);
            b7 = kk.fma(x, b7);
        }
        a0.mul(scale).intoArray(dst, o);
        b0.mul(scale).intoArray(dst, o + L);
        a1.mul(scale).intoArray(dst, o + stride);
        b1.mul(scale).intoArray(dst, o + stride + L);
        a2.mul(scale).intoArray(dst, o + 2 * stride);
        b2.mul(scale).intoArray(dst, o + 2 * stride + L);
        a3.mul(scale).intoArray(dst, o + 3 * stride);
        b3.mul(scale).intoArray(dst, o + 3 * stride + L);
        a4.mul(scale).intoArray(dst, o + 4 * stride);
        b4.mul(scale).intoArray(dst, o + 4 * stride + L);
        if (n > 5) {
            a5.mul(scale).intoArray(dst, o + 5 * stride);
            b5.mul(scale).intoArray(dst, o + 5 * stride + L);
        }
        if (n > 6) {
            a6.mul(scale).intoArray(dst, o + 6 * stride);
            b6.mul(scale).intoArray(dst, o + 6 * stride + L);
        }
        if (n > 7) {
            a7.mul(scale).intoArray(dst, o + 7 * stride);
            b7.mul(scale).intoArray(dst, o + 7 * stride + L);
        }
    }

    /** Four heads against two lane chunks: 2 key loads and 4 query broadcasts feed 8 FMAs per channel. */
    private static void scoreQuadWide(float[] q, int q0, int d, float[] keys, int kOff, int lanes, int lc,
                                      float scale, float[] dst, int o, int stride) {
        FloatVector a0 = FloatVector.zero(S);
        FloatVector a1 = FloatVector.zero(S);
        FloatVector a2 = FloatVector.zero(S);
        FloatVector a3 = FloatVector.zero(S);
        FloatVector b0 = FloatVector.zero(S);
        FloatVector b1 = FloatVector.zero(S);
        FloatVector b2 = FloatVector.zero(S);
        FloatVector b3 = FloatVector.zero(S);
        for (int c = 0; c < d; c++) {
            int row = kOff + c * lanes + lc;
            FloatVector k = FloatVector.fromArray(S, keys, row);
            FloatVector kk = FloatVector.fromArray(S, keys, row + L);
            FloatVector x0 = FloatVector.broadcast(S, q[q0 + c]);
            FloatVector x1 = FloatVector.broadcast(S, q[q0 + d + c]);
            FloatVector x2 = FloatVector.broadcast(S, q[q0 + 2 * d + c]);
            FloatVector x3 = FloatVector.broadcast(S, q[q0 + 3 * d + c]);
            a0 = k.fma(x0, a0);
            a1 = k.fma(x1, a1);
            a2 = k.fma(x2, a2);
            a3 = k.fma(x3, a3);
            b0 = kk.fma(x0, b0);
            b1 = kk.fma(x1, b1);
            b2 = kk.fma(x2, b2);
            b3 = kk.fma(x3, b3);
        }
        a0.mul(scale).intoArray(dst, o);
        a1.mul(scale).intoArray(dst, o + stride);
        a2.mul(scale).intoArray(dst, o + 2 * stride);
        a3.mul(scale).intoArray(dst, o + 3 * stride);
        b0.mul(scale).intoArray(dst, o + L);
        b1.mul(scale).intoArray(dst, o + stride + L);
        b2.mul(scale).intoArray(dst, o + 2 * stride + L);
        b3.mul(scale).intoArray(dst, o + 3 * stride + L);
    }

    /** Two heads against two lane chunks. */
    private static void scorePairWide(float[] q, int q0, int d, float[] keys, int kOff, int lanes, int lc,
                                      float scale, float[] dst, int o, int stride) {
        FloatVector a0 = FloatVector.zero(S);
        FloatVector a1 = FloatVector.zero(S);
        FloatVector b0 = FloatVector.zero(S);
        FloatVector b1 = FloatVector.zero(S);
        for (int c = 0; c < d; c++) {
            int row = kOff + c * lanes + lc;
            FloatVector k = FloatVector.fromArray(S, keys, row);
            FloatVector kk = FloatVector.fromArray(S, keys, row + L);
            FloatVector x0 = FloatVector.broadcast(S, q[q0 + c]);
            FloatVector x1 = FloatVector.broadcast(S, q[q0 + d + c]);
            a0 = k.fma(x0, a0);
            a1 = k.fma(x1, a1);
            b0 = kk.fma(x0, b0);
            b1 = kk.fma(x1, b1);
        }
        a0.mul(scale).intoArray(dst, o);
        a1.mul(scale).intoArray(dst, o + stride);
        b0.mul(scale).intoArray(dst, o + L);
        b1.mul(scale).intoArray(dst, o + stride + L);
    }

    /** Heads {@code [g0, group)} against the lane chunk at {@code lc}. */
    private static void scoreNarrow(float[] q, int qBase, int g0, int group, int d, float[] keys, int kOff,
                                    int lanes, int lc, float scale, float[] dst, int dstOff, int stride) {
        int g = g0;
        for (; g + 4 <= group; g += 4) {
            int q0 = qBase + g * d;
            FloatVector a0 = FloatVector.zero(S);
            FloatVector a1 = FloatVector.zero(S);
            FloatVector a2 = FloatVector.zero(S);
            FloatVector a3 = FloatVector.zero(S);
            for (int c = 0; c < d; c++) {
                FloatVector k = FloatVector.fromArray(S, keys, kOff + c * lanes + lc);
                a0 = k.fma(FloatVector.broadcast(S, q[q0 + c]), a0);
                a1 = k.fma(FloatVector.broadcast(S, q[q0 + d + c]), a1);
                a2 = k.fma(FloatVector.broadcast(S, q[q0 + 2 * d + c]), a2);
                a3 = k.fma(FloatVector.broadcast(S, q[q0 + 3 * d + c]), a3);
            }
            int o = dstOff + g * stride + lc;
            a0.mul(scale).intoArray(dst, o);
            a1.mul(scale).intoArray(dst, o + stride);
            a2.mul(scale).intoArray(dst, o + 2 * stride);
            a3.mul(scale).intoArray(dst, o + 3 * stride);
        }
        for (; g + 2 <= group; g += 2) {
            int q0 = qBase + g * d;
            FloatVector a0 = FloatVector.zero(S);
            FloatVector a1 = FloatVector.zero(S);
            for (int c = 0; c < d; c++) {
                FloatVector k = FloatVector.fromArray(S, keys, kOff + c * lanes + lc);
                a0 = k.fma(FloatVector.broadcast(S, q[q0 + c]), a0);
                a1 = k.fma(FloatVector.broadcast(S, q[q0 + d + c]), a1);
            }
            int o = dstOff + g * stride + lc;
            a0.mul(scale).intoArray(dst, o);
            a1.mul(scale).intoArray(dst, o + stride);
        }
        if (g < group) {
            int q0 = qBase + g * d;
            FloatVector a0 = FloatVector.zero(S);
            FloatVector a1 = FloatVector.zero(S);
            int c = 0;
            for (; c + 2 <= d; c += 2) {
                a0 = FloatVector.fromArray(S, keys, kOff + c * lanes + lc)
                        .fma(FloatVector.broadcast(S, q[q0 + c]), a0);
                a1 = FloatVector.fromArray(S, keys, kOff + (c + 1) * lanes + lc)
                        .fma(FloatVector.broadcast(S, q[q0 + c + 1]), a1);
            }
            if (c < d) {
                a0 = FloatVector.fromArray(S, keys, kOff + c * lanes + lc)
                        .fma(FloatVector.broadcast(S, q[q0 + c]), a0);
            }
            a0.add(a1).mul(scale).intoArray(dst, dstOff + g * stride + lc);
        }
    }
}

package dev.vlflow.kv.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vector micro-kernels shared by the attention kernels: scoring a channel-major key tile for a GQA group of
 * query heads, and weighted sums of value rows. Their scalar twins are the plain loops of
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
     * Needs {@code lanes % L == 0}. Each key row is loaded once for up to four heads; no horizontal sums.
     *
     * @param keys [d][lanes] from {@code kOff}
     */
    static void scoreTile(float[] q, int qBase, int group, int d, float[] keys, int kOff, int lanes, float scale,
                          float[] dst, int dstOff, int stride) {
        int lc0 = 0;
        if (lanes % (2 * L) == 0) {
            for (; lc0 < lanes; lc0 += 2 * L) {
                int g = 0;
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

    /**
     * For each of {@code heads} consecutive heads h: {@code out[oOff + h*d + c] (+)= Σ_{j in [j0, j1)}
     * p[pOff + h * pStride + j] · values[rowOff[j] + c]}, added to what {@code out} holds when {@code accumulate}.
     * Heads are taken by four, then two (each value vector loaded once for all of them) when {@code d % 2L == 0}.
     *
     * @param rowOff [j1] offset of the value row of entry j in {@code values}
     */
    static void weightedSum(float[] p, int pOff, int pStride, int heads, float[] values, int[] rowOff, int j0,
                            int j1, int d, float[] out, int oOff, boolean accumulate) {
        int h = 0;
        if (d % (2 * L) == 0) {
            for (; h + 4 <= heads; h += 4) {
                quad(p, pOff + h * pStride, pStride, values, rowOff, j0, j1, d, out, oOff + h * d, accumulate);
            }
            for (; h + 2 <= heads; h += 2) {
                pair(p, pOff + h * pStride, pStride, values, rowOff, j0, j1, d, out, oOff + h * d, accumulate);
            }
        }
        for (; h < heads; h++) {
            single(p, pOff + h * pStride, values, rowOff, j0, j1, d, out, oOff + h * d, accumulate);
        }
    }

    /** Four heads, two output chunks: 2 value loads and 4 probability broadcasts feed 8 FMAs per entry. */
    private static void quad(float[] p, int pOff, int pStride, float[] values, int[] rowOff, int j0, int j1, int d,
                             float[] out, int oOff, boolean accumulate) {
        for (int c = 0; c < d; c += 2 * L) {
            FloatVector a0 = start(out, oOff + c, accumulate);
            FloatVector a1 = start(out, oOff + c + L, accumulate);
            FloatVector b0 = start(out, oOff + d + c, accumulate);
            FloatVector b1 = start(out, oOff + d + c + L, accumulate);
            FloatVector c0 = start(out, oOff + 2 * d + c, accumulate);
            FloatVector c1 = start(out, oOff + 2 * d + c + L, accumulate);
            FloatVector e0 = start(out, oOff + 3 * d + c, accumulate);
            FloatVector e1 = start(out, oOff + 3 * d + c + L, accumulate);
            for (int j = j0; j < j1; j++) {
                int base = rowOff[j] + c;
                FloatVector v0 = FloatVector.fromArray(S, values, base);
                FloatVector v1 = FloatVector.fromArray(S, values, base + L);
                FloatVector pa = FloatVector.broadcast(S, p[pOff + j]);
                FloatVector pb = FloatVector.broadcast(S, p[pOff + pStride + j]);
                FloatVector pc = FloatVector.broadcast(S, p[pOff + 2 * pStride + j]);
                FloatVector pe = FloatVector.broadcast(S, p[pOff + 3 * pStride + j]);
                a0 = v0.fma(pa, a0);
                a1 = v1.fma(pa, a1);
                b0 = v0.fma(pb, b0);
                b1 = v1.fma(pb, b1);
                c0 = v0.fma(pc, c0);
                c1 = v1.fma(pc, c1);
                e0 = v0.fma(pe, e0);
                e1 = v1.fma(pe, e1);
            }
            a0.intoArray(out, oOff + c);
            a1.intoArray(out, oOff + c + L);
            b0.intoArray(out, oOff + d + c);
            b1.intoArray(out, oOff + d + c + L);
            c0.intoArray(out, oOff + 2 * d + c);
            c1.intoArray(out, oOff + 2 * d + c + L);
            e0.intoArray(out, oOff + 3 * d + c);
            e1.intoArray(out, oOff + 3 * d + c + L);
        }
    }

    private static void pair(float[] p, int pOff, int pStride, float[] values, int[] rowOff, int j0, int j1, int d,
                             float[] out, int oOff, boolean accumulate) {
        for (int c = 0; c < d; c += 2 * L) {
            FloatVector a0 = start(out, oOff + c, accumulate);
            FloatVector a1 = start(out, oOff + c + L, accumulate);
            FloatVector b0 = start(out, oOff + d + c, accumulate);
            FloatVector b1 = start(out, oOff + d + c + L, accumulate);
            for (int j = j0; j < j1; j++) {
                FloatVector pa = FloatVector.broadcast(S, p[pOff + j]);
                FloatVector pb = FloatVector.broadcast(S, p[pOff + pStride + j]);
                int base = rowOff[j] + c;
                FloatVector v0 = FloatVector.fromArray(S, values, base);
                FloatVector v1 = FloatVector.fromArray(S, values, base + L);
                a0 = v0.fma(pa, a0);
                a1 = v1.fma(pa, a1);
                b0 = v0.fma(pb, b0);
                b1 = v1.fma(pb, b1);
            }
            a0.intoArray(out, oOff + c);
            a1.intoArray(out, oOff + c + L);
            b0.intoArray(out, oOff + d + c);
            b1.intoArray(out, oOff + d + c + L);
        }
    }

    private static void single(float[] p, int pOff, float[] values, int[] rowOff, int j0, int j1, int d,
                               float[] out, int oOff, boolean accumulate) {
        int c = 0;
        for (; c + 2 * L <= d; c += 2 * L) {
            FloatVector a0 = start(out, oOff + c, accumulate);
            FloatVector a1 = start(out, oOff + c + L, accumulate);
            for (int j = j0; j < j1; j++) {
                FloatVector pj = FloatVector.broadcast(S, p[pOff + j]);
                int base = rowOff[j] + c;
                a0 = FloatVector.fromArray(S, values, base).fma(pj, a0);
                a1 = FloatVector.fromArray(S, values, base + L).fma(pj, a1);
            }
            a0.intoArray(out, oOff + c);
            a1.intoArray(out, oOff + c + L);
        }
        for (; c + L <= d; c += L) {
            FloatVector a0 = start(out, oOff + c, accumulate);
            for (int j = j0; j < j1; j++) {
                a0 = FloatVector.fromArray(S, values, rowOff[j] + c).fma(FloatVector.broadcast(S, p[pOff + j]), a0);
            }
            a0.intoArray(out, oOff + c);
        }
        for (; c < d; c++) {
            float acc = accumulate ? out[oOff + c] : 0f;
            for (int j = j0; j < j1; j++) {
                acc += p[pOff + j] * values[rowOff[j] + c];
            }
            out[oOff + c] = acc;
        }
    }

    private static FloatVector start(float[] out, int off, boolean accumulate) {
        return accumulate ? FloatVector.fromArray(S, out, off) : FloatVector.zero(S);
    }
}

package dev.vlflow.kv.kernel;

import static dev.vlflow.kv.kernel.TileMath.L;
import static dev.vlflow.kv.kernel.TileMath.S;

import jdk.incubator.vector.FloatVector;

/**
 * The value micro-kernel shared by the attention kernels: probability-weighted sums of value rows for a GQA group
 * of query heads, register-blocked over up to eight heads so each value vector is loaded once for all of them.
 * Scalar twins: the plain loops of {@link dev.vlflow.kv.FloatAttention} and {@link PagedAttentionScalar}.
 */
final class ValueSums {

    private ValueSums() {
    }

    /**
     * For each of {@code heads} consecutive heads h: {@code out[oOff + h*d + c] (+)= Σ_{j in [j0, j1)}
     * p[pOff + h * pStride + j] · values[rowOff[j] + c]}, added to what {@code out} holds when {@code accumulate}.
     * Heads are taken by up to eight (while five or more remain), then four, then two — each value vector loaded
     * once for all of them — when {@code d % 2L == 0}.
     *
     * @param rowOff [j1] offset of the value row of entry j in {@code values}
     */
    static void weightedSum(float[] p, int pOff, int pStride, int heads, float[] values, int[] rowOff, int j0,
                            int j1, int d, float[] out, int oOff, boolean accumulate) {
        int h = 0;
        if (d % (2 * L) == 0) {
            for (; heads - h >= 5; h += Math.min(8, heads - h)) {
                octet(p, pOff + h * pStride, pStride, Math.min(8, heads - h), values, rowOff, j0, j1, d, out,
                        oOff + h * d, accumulate);
            }
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

    /**
     * Five to eight heads ({@code n}), two output chunks: 2 value loads and 8 probability broadcasts feed 16 FMAs
     * per entry (heads past n repeat the last one and are not stored).
     */
    private static void octet(float[] p, int pOff, int pStride, int n, float[] values, int[] rowOff, int j0, int j1,
                              int d, float[] out, int oOff, boolean accumulate) {
        int p4 = pOff + 4 * pStride;
        int p5 = pOff + Math.min(5, n - 1) * pStride;
        int p6 = pOff + Math.min(6, n - 1) * pStride;
        int p7 = pOff + Math.min(7, n - 1) * pStride;
        int o5 = oOff + Math.min(5, n - 1) * d;
        int o6 = oOff + Math.min(6, n - 1) * d;
        int o7 = oOff + Math.min(7, n - 1) * d;
        for (int c = 0; c < d; c += 2 * L) {
            FloatVector a0 = start(out, oOff + c, accumulate);
            FloatVector b0 = start(out, oOff + c + L, accumulate);
            FloatVector a1 = start(out, oOff + d + c, accumulate);
            FloatVector b1 = start(out, oOff + d + c + L, accumulate);
            FloatVector a2 = start(out, oOff + 2 * d + c, accumulate);
            FloatVector b2 = start(out, oOff + 2 * d + c + L, accumulate);
            FloatVector a3 = start(out, oOff + 3 * d + c, accumulate);
            FloatVector b3 = start(out, oOff + 3 * d + c + L, accumulate);
            FloatVector a4 = start(out, oOff + 4 * d + c, accumulate);
            FloatVector b4 = start(out, oOff + 4 * d + c + L, accumulate);
            FloatVector a5 = start(out, o5 + c, accumulate);
            FloatVector b5 = start(out, o5 + c + L, accumulate);
            FloatVector a6 = start(out, o6 + c, accumulate);
            FloatVector b6 = start(out, o6 + c + L, accumulate);
            FloatVector a7 = start(out, o7 + c, accumulate);
            FloatVector b7 = start(out, o7 + c + L, accumulate);
            for (int j = j0; j < j1; j++) {
                int base = rowOff[j] + c;
                FloatVector v0 = FloatVector.fromArray(S, values, base);
                FloatVector v1 = FloatVector.fromArray(S, values, base + L);
                FloatVector x = FloatVector.broadcast(S, p[pOff + j]);
                a0 = v0.fma(x, a0);
                b0 = v1.fma(x, b0);
                x = FloatVector.broadcast(S, p[pOff + pStride + j]);
                a1 = v0.fma(x, a1);
                b1 = v1.fma(x, b1);
                x = FloatVector.broadcast(S, p[pOff + 2 * pStride + j]);
                a2 = v0.fma(x, a2);
                b2 = v1.fma(x, b2);
                x = FloatVector.broadcast(S, p[pOff + 3 * pStride + j]);
                a3 = v0.fma(x, a3);
                b3 = v1.fma(x, b3);
                x = FloatVector.broadcast(S, p[p4 + j]);
                a4 = v0.fma(x, a4);
                b4 = v1.fma(x, b4);
                x = FloatVector.broadcast(S, p[p5 + j]);
                a5 = v0.fma(x, a5);
                b5 = v1.fma(x, b5);
                x = FloatVector.broadcast(S, p[p6 + j]);
                a6 = v0.fma(x, a6);
                b6 = v1.fma(x, b6);
                x = FloatVector.broadcast(S, p[p7 + j]);
                a7 = v0.fma(x, a7);
                b7 = v1.fma(x, b7);
            }
            // stored last to first: a repeated head (n < 8) ends with the value of the real one
            a7.intoArray(out, o7 + c);
            b7.intoArray(out, o7 + c + L);
            a6.intoArray(out, o6 + c);
            b6.intoArray(out, o6 + c + L);
            a5.intoArray(out, o5 + c);
            b5.intoArray(out, o5 + c + L);
            a4.intoArray(out, oOff + 4 * d + c);
            b4.intoArray(out, oOff + 4 * d + c + L);
            a3.intoArray(out, oOff + 3 * d + c);
            b3.intoArray(out, oOff + 3 * d + c + L);
            a2.intoArray(out, oOff + 2 * d + c);
            b2.intoArray(out, oOff + 2 * d + c + L);
            a1.intoArray(out, oOff + d + c);
            b1.intoArray(out, oOff + d + c + L);
            a0.intoArray(out, oOff + c);
            b0.intoArray(out, oOff + c + L);
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

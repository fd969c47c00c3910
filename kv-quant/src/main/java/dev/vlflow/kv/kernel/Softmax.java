package dev.vlflow.kv.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** In-place fp32 softmax of a row of scores with the maximum subtracted; exp through {@link Exp}, the same bits compiled or not. */
final class Softmax {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private Softmax() {
    }

    /** Replaces {@code x[off..off+n)} (n ≥ 1) by its softmax. */
    static void normalize(float[] x, int off, int n) {
        int bound = S.loopBound(n);
        int j = 0;
        FloatVector vmax = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
        for (; j < bound; j += L) {
            vmax = vmax.max(FloatVector.fromArray(S, x, off + j));
        }
        float max = vmax.reduceLanes(VectorOperators.MAX);
        for (; j < n; j++) {
            max = Math.max(max, x[off + j]);
        }
        FloatVector vm = FloatVector.broadcast(S, max);
        FloatVector vsum = FloatVector.zero(S);
        for (j = 0; j < bound; j += L) {
            FloatVector e = Exp.exp(FloatVector.fromArray(S, x, off + j).sub(vm));
            e.intoArray(x, off + j);
            vsum = vsum.add(e);
        }
        float sum = vsum.reduceLanes(VectorOperators.ADD);
        for (; j < n; j++) {
            float e = Exp.exp(x[off + j] - max);
            x[off + j] = e;
            sum += e;
        }
        FloatVector inv = FloatVector.broadcast(S, 1f / sum);
        for (j = 0; j < bound; j += L) {
            FloatVector.fromArray(S, x, off + j).mul(inv).intoArray(x, off + j);
        }
        float s = 1f / sum;
        for (; j < n; j++) {
            x[off + j] *= s;
        }
    }
}

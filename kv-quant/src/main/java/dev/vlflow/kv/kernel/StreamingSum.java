package dev.vlflow.kv.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * A read-only stream over memory: the sum of a float range with four independent vector accumulators, so the loop
 * is limited by memory bandwidth, not by the add chain. The memory roofline measures itself with it. Scalar twin:
 * {@link #scalarSum} (which a 2-core machine runs compute-bound, at about a third of the bandwidth).
 */
public final class StreamingSum {

    private StreamingSum() {
    }

    /** Sum of {@code data[from, to)}; the Vector API kernel when available, else the scalar twin. */
    public static float sum(float[] data, int from, int to) {
        return Kernels.vectorized() ? vectorSum(data, from, to) : scalarSum(data, from, to);
    }

    static float vectorSum(float[] data, int from, int to) {
        int l = TileMath.L;
        FloatVector a = FloatVector.zero(TileMath.S);
        FloatVector b = a;
        FloatVector c = a;
        FloatVector d = a;
        int i = from;
        for (; i + 4 * l <= to; i += 4 * l) {
            a = a.add(FloatVector.fromArray(TileMath.S, data, i));
            b = b.add(FloatVector.fromArray(TileMath.S, data, i + l));
            c = c.add(FloatVector.fromArray(TileMath.S, data, i + 2 * l));
            d = d.add(FloatVector.fromArray(TileMath.S, data, i + 3 * l));
        }
        return a.add(b).add(c).add(d).reduceLanes(VectorOperators.ADD) + scalarSum(data, i, to);
    }

    public static float scalarSum(float[] data, int from, int to) {
        float s = 0;
        for (int i = from; i < to; i++) {
            s += data[i];
        }
        return s;
    }
}

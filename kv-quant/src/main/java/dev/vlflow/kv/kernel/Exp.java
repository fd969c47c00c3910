package dev.vlflow.kv.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * A float {@code exp} built from lane-wise IEEE operations only (Cephes' range reduction and degree-6 polynomial),
 * so the vector kernel and its scalar twin give the same bits whether the JIT has compiled the code or not. The
 * Vector API's own {@code EXP} does not: its fallback calls {@code Math.exp} per lane while C2's intrinsic calls a
 * short-vector math library, and the two differ in the last bit on a few inputs — enough to make a cache restored
 * from state attend one ulp differently from the cache it was saved from. Relative error ≤ 2 ulp over the range a
 * softmax uses; inputs at or below {@link #MIN_ARG} give 0 (where {@code Math.exp} gives denormals or 0). No masks or
 * conversions: the rounding and the power of two come from float and int bit arithmetic, so C2 compiles it to plain
 * vector instructions.
 */
final class Exp {

    /** Inputs at or below this give 0 (the result would be a denormal below 1.2e-38). */
    static final float MIN_ARG = -88.0f;
    static final float MAX_ARG = 88.0f;
    private static final float LOG2E = 1.44269504088896341f;
    private static final float ROUND = 12582912f; // 1.5 * 2^23: adding and subtracting it rounds to an integer
    private static final int ROUND_BITS = Float.floatToRawIntBits(ROUND);
    private static final float LN2_HI = 0.693359375f;
    private static final float LN2_LO = -2.12194440e-4f;
    private static final float P0 = 1.9875691500e-4f;
    private static final float P1 = 1.3981999507e-3f;
    private static final float P2 = 8.3334519073e-3f;
    private static final float P3 = 4.1665795894e-2f;
    private static final float P4 = 1.6666665459e-1f;
    private static final float P5 = 5.0000001201e-1f;

    private Exp() {
    }

    /** The scalar twin: bit-identical to each lane of {@link #exp(FloatVector)}. */
    static float exp(float x) {
        float c = Math.min(Math.max(x, MIN_ARG), MAX_ARG);
        float shifted = c * LOG2E + ROUND; // n = round(c / ln 2) sits in the low mantissa bits
        float t = shifted - ROUND;
        float r = c - t * LN2_HI;
        r = r - t * LN2_LO;
        float z = r * r;
        float y = P0 * r + P1;
        y = y * r + P2;
        y = y * r + P3;
        y = y * r + P4;
        y = y * r + P5;
        y = y * z + r;
        y = y + 1f;
        int n = Float.floatToRawIntBits(shifted) - ROUND_BITS; // in [-127, 127]
        return y * Float.intBitsToFloat(Math.max(n + 127, 0) << 23); // 2^n, or 0 for n = -127
    }

    /** Lane-wise {@code exp}; lanes at or below {@link #MIN_ARG} give 0. */
    static FloatVector exp(FloatVector x) {
        FloatVector c = x.max(MIN_ARG).min(MAX_ARG);
        FloatVector shifted = c.mul(LOG2E).add(ROUND);
        FloatVector t = shifted.sub(ROUND);
        FloatVector r = c.sub(t.mul(LN2_HI));
        r = r.sub(t.mul(LN2_LO));
        FloatVector z = r.mul(r);
        FloatVector y = r.mul(P0).add(P1);
        y = y.mul(r).add(P2);
        y = y.mul(r).add(P3);
        y = y.mul(r).add(P4);
        y = y.mul(r).add(P5);
        y = y.mul(z).add(r);
        y = y.add(1f);
        IntVector n = shifted.reinterpretAsInts().sub(ROUND_BITS);
        FloatVector scale = n.add(127).max(0).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        return y.mul(scale);
    }
}

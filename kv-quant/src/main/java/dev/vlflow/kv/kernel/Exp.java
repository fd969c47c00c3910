package dev.vlflow.kv.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * A float {@code exp} built from lane-wise IEEE operations only (Cephes' range reduction and degree-6 polynomial),
 * so the vector kernel and its scalar twin give the same bits whether the JIT has compiled the code or not. The
 * Vector API's own {@code EXP} does not: its fallback calls {@code Math.exp} per lane while C2's intrinsic calls a
 * short-vector math library, and the two differ in the last bit on a few inputs — enough to make a cache restored
 * from state attend one ulp differently from the cache it was saved from. Relative error ≤ 2 ulp over the range a
 * softmax uses; inputs below {@link #MIN_ARG} give 0 (as {@code Math.exp} underflows to denormals there).
 */
final class Exp {

    static final float MIN_ARG = -87.33654f;
    static final float MAX_ARG = 88.0f;
    private static final float LOG2E = 1.44269504088896341f;
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
        if (!(x >= MIN_ARG)) { // also NaN-free inputs below the range
            return Float.isNaN(x) ? x : 0f;
        }
        float c = Math.min(x, MAX_ARG);
        float fx = c * LOG2E + 0.5f;
        float t = (float) (int) fx;
        if (t > fx) {
            t = t - 1f;
        }
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
        return y * Float.intBitsToFloat(((int) t + 127) << 23);
    }

    /** Lane-wise {@code exp}; lanes below {@link #MIN_ARG} give 0. */
    static FloatVector exp(FloatVector x) {
        VectorSpecies<Float> s = x.species();
        VectorMask<Float> under = x.compare(VectorOperators.LT, MIN_ARG);
        FloatVector c = x.max(MIN_ARG).min(MAX_ARG);
        FloatVector fx = c.mul(LOG2E).add(0.5f);
        FloatVector t = (FloatVector) fx.convert(VectorOperators.F2I, 0).convert(VectorOperators.I2F, 0);
        t = t.sub(1f, t.compare(VectorOperators.GT, fx));
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
        IntVector bits = ((IntVector) t.convert(VectorOperators.F2I, 0)).add(127).lanewise(VectorOperators.LSHL, 23);
        FloatVector scale = bits.reinterpretAsFloats();
        assert scale.species().equals(s);
        return y.mul(scale).blend(0f, under);
    }
}

package dev.vlflow.kv.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

class ExpTest {

    private static final int N = 16 * 64;
    private static final float LN_MIN_NORMAL = (float) Math.log(Float.MIN_NORMAL);

    private static float[] inputs() {
        SplittableRandom random = new SplittableRandom(11);
        float[] x = new float[N];
        for (int i = 0; i < N; i++) {
            x[i] = (float) random.nextDouble(-100, 1);
        }
        x[0] = Float.NEGATIVE_INFINITY;
        x[1] = 0f;
        x[2] = -0f;
        x[3] = Exp.MIN_ARG;
        x[4] = Math.nextDown(Exp.MIN_ARG);
        x[5] = -87.5f;
        x[6] = LN_MIN_NORMAL;
        x[7] = -1e-7f;
        return x;
    }

    private static float[] vector(float[] x) {
        float[] y = new float[x.length];
        for (int j = 0; j < x.length; j += TileMath.L) {
            Exp.exp(FloatVector.fromArray(TileMath.S, x, j)).intoArray(y, j);
        }
        return y;
    }

    @Test
    void lanesEqualTheScalarTwinBitForBitAndStayWithinTwoUlpOfMathExp() {
        float[] x = inputs();
        float[] y = vector(x);
        for (int i = 0; i < N; i++) {
            float scalar = Exp.exp(x[i]);
            assertEquals(Float.floatToRawIntBits(scalar), Float.floatToRawIntBits(y[i]), "exp(" + x[i] + ")");
            if (x[i] <= Exp.MIN_ARG) {
                assertEquals(0f, scalar); // +0, not -0
            } else if (x[i] < LN_MIN_NORMAL && scalar == 0f) {
                assertTrue(Math.exp(x[i]) < Float.MIN_NORMAL, "only denormal results may flush to 0");
            } else {
                double exact = Math.exp(x[i]);
                assertTrue(Math.abs(scalar - exact) <= 2 * Math.ulp((float) exact), "exp(" + x[i] + ") = " + scalar
                        + " vs " + exact);
            }
        }
    }

    @Test
    void theSameBitsBeforeAndAfterTheJitCompilesTheKernel() {
        float[] x = inputs();
        float[] first = vector(x); // interpreted (the Vector API's Java fallback)
        float[] last = first;
        for (int k = 0; k < 20_000; k++) {
            last = vector(x); // C2-compiled with intrinsics by the end
        }
        for (int i = 0; i < N; i++) {
            assertEquals(Float.floatToRawIntBits(first[i]), Float.floatToRawIntBits(last[i]), "exp(" + x[i] + ")");
        }
    }
}

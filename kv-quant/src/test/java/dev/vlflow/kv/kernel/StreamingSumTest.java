package dev.vlflow.kv.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class StreamingSumTest {

    @Test
    void vectorSumEqualsScalarTwinOnRaggedRanges() {
        float[] data = new float[10_007];
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) random.nextDouble(-1, 1);
        }
        for (int[] range : new int[][] {{0, data.length}, {3, 5000}, {17, 18}, {100, 100}}) {
            double exact = 0;
            for (int i = range[0]; i < range[1]; i++) {
                exact += data[i];
            }
            // float accumulation in different orders: within 1e-3 of the double sum over ~10k values of |x| <= 1
            assertEquals(exact, StreamingSum.vectorSum(data, range[0], range[1]), 1e-3);
            assertEquals(exact, StreamingSum.scalarSum(data, range[0], range[1]), 1e-3);
        }
    }
}

package dev.vlflow.kv.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vlflow.kv.AttentionMask;
import dev.vlflow.kv.AttentionQuery;
import dev.vlflow.kv.CacheShape;
import dev.vlflow.kv.FloatAttention;
import dev.vlflow.kv.Fixtures;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The Vector API float kernel (blocked keys) against its scalar twin {@link FloatAttention} (row-major keys).
 * Tolerance: 2e-5 absolute on outputs and on key mass (values are N(0,1); the kernels differ only in summation
 * order and in the vectorized exp).
 */
class FloatAttentionKernelTest {

    private static final float TOL = 2e-5f;

    private static void compare(CacheShape shape, int size, int[] positions, AttentionQuery q, long seed) {
        Random rnd = new Random(seed);
        float[] keys = Fixtures.normal(rnd, size * shape.tokenWidth(), 1f);
        float[] values = Fixtures.normal(rnd, size * shape.tokenWidth(), 1f);
        int outLen = q.count() * q.heads() * shape.headDim();
        AttentionQuery qa = Fixtures.freshMass(q, size);
        AttentionQuery qb = Fixtures.freshMass(q, size);
        float[] expected = new float[outLen];
        float[] actual = new float[outLen];
        FloatAttention.attend(qa, keys, values, positions, size, shape, expected);
        float[] blocks = new float[KeyBlocks.roundUp(size) * shape.tokenWidth()];
        KeyBlocks.scatter(shape, keys, size, blocks, 0);
        FloatAttentionKernel.attend(qb, blocks, values, positions, size, shape, actual);
        float diff = Fixtures.maxAbsDiff(expected, actual);
        assertTrue(diff <= TOL, "output diff " + diff);
        float[] ma = qa.keyMass().orElseThrow();
        float[] mb = qb.keyMass().orElseThrow();
        assertTrue(Fixtures.maxAbsDiff(ma, mb) <= TOL, "mass diff " + Fixtures.maxAbsDiff(ma, mb));
    }

    @Test
    void decodeStepWithGqaMatchesScalar() {
        Random rnd = new Random(1);
        CacheShape shape = new CacheShape(1, 2, 64);
        int size = 517;
        AttentionQuery q = Fixtures.query(rnd, 1, 14, 64, new int[] {size}, new AttentionMask.Causal(), 0);
        compare(shape, size, Fixtures.range(0, size), q, 2);
    }

    @Test
    void prefillChunkOverPermutedSlotsMatchesScalar() {
        Random rnd = new Random(3);
        CacheShape shape = new CacheShape(1, 2, 32);
        int size = 120;
        int[] positions = Fixtures.shuffledPositions(rnd, size);
        AttentionQuery q = Fixtures.query(rnd, 9, 4, 32, Fixtures.range(100, 9), new AttentionMask.Causal(), 0);
        compare(shape, size, positions, q, 4);
    }

    @Test
    void treeMaskMatchesScalar() {
        Random rnd = new Random(5);
        CacheShape shape = new CacheShape(1, 1, 16);
        int size = 40;
        AttentionQuery q = Fixtures.query(rnd, 6, 3, 16, Fixtures.range(34, 6), Fixtures.tree(rnd, 6), 0);
        compare(shape, size, Fixtures.range(0, size), q, 6);
    }

    @Test
    void subsetMaskWithOddHeadDimMatchesScalar() {
        Random rnd = new Random(7);
        CacheShape shape = new CacheShape(1, 3, 20);
        int size = 77;
        AttentionMask mask = new AttentionMask.Subset(new int[] {0, 3, 4, 10, 20, 50, 60, 76});
        AttentionQuery q = Fixtures.query(rnd, 3, 6, 20, new int[] {2, 55, 90}, mask, 0);
        compare(shape, size, Fixtures.range(0, size), q, 8);
    }

    @Test
    void everyGroupSizeMatchesScalar() {
        for (int d : new int[] {24, 64}) { // 64: the register-blocked value sums too
            for (int group = 1; group <= 9; group++) {
                Random rnd = new Random(100 + group);
                CacheShape shape = new CacheShape(1, 2, d);
                int size = 50;
                AttentionQuery q = Fixtures.query(rnd, 2, 2 * group, d, new int[] {30, 49},
                        new AttentionMask.Causal(), 0);
                compare(shape, size, Fixtures.range(0, size), q, 200 + group);
            }
        }
    }

    @Test
    void queryThatSeesNothingGivesZeros() {
        Random rnd = new Random(9);
        CacheShape shape = new CacheShape(1, 1, 8);
        AttentionQuery q = Fixtures.query(rnd, 1, 2, 8, new int[] {-1}, new AttentionMask.Causal(), 0);
        float[] keys = Fixtures.normal(rnd, 5 * 8, 1f);
        float[] out = new float[16];
        java.util.Arrays.fill(out, 7f);
        float[] blocks = new float[KeyBlocks.roundUp(5) * 8];
        KeyBlocks.scatter(shape, keys, 5, blocks, 0);
        FloatAttentionKernel.attend(q, blocks, keys, Fixtures.range(0, 5), 5, shape, out);
        for (float v : out) {
            assertEquals(0f, v);
        }
    }
}

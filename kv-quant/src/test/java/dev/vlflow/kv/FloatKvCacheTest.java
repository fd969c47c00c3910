package dev.vlflow.kv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** FloatKvCache storage and copy-on-write bookkeeping, and its attention against the scalar reference (2e-5). */
class FloatKvCacheTest {

    private static final CacheShape SHAPE = new CacheShape(2, 2, 8);

    @Test
    void appendedKeysAndValuesReadBackExactly() {
        Random rnd = new Random(1);
        FloatKvCache cache = new FloatKvCache(SHAPE);
        float[] k = Fixtures.normal(rnd, 37 * 16, 1f);
        float[] v = Fixtures.normal(rnd, 37 * 16, 1f);
        cache.append(0, Arrays.copyOf(k, 20 * 16), Arrays.copyOf(v, 20 * 16), Fixtures.range(0, 20), 20);
        cache.append(0, Arrays.copyOfRange(k, 20 * 16, 37 * 16), Arrays.copyOfRange(v, 20 * 16, 37 * 16),
                Fixtures.range(20, 17), 17);
        assertEquals(37, cache.size(0));
        assertEquals(0, cache.size(1));
        assertArrayEquals(k, cache.keys(0));
        assertArrayEquals(v, cache.values(0));
        assertArrayEquals(Fixtures.range(0, 37), cache.positions(0));
        assertEquals(37L * (2 * 16 * 4 + 4), cache.bytes());
    }

    @Test
    void attendMatchesScalarReference() {
        Random rnd = new Random(2);
        FloatKvCache cache = new FloatKvCache(SHAPE);
        int[] positions = Fixtures.shuffledPositions(rnd, 45);
        float[] k = Fixtures.normal(rnd, 45 * 16, 1f);
        float[] v = Fixtures.normal(rnd, 45 * 16, 1f);
        cache.append(1, k, v, positions, 45);
        AttentionQuery q = Fixtures.query(rnd, 3, 6, 8, new int[] {10, 30, 44}, new AttentionMask.Causal(), 45);
        AttentionQuery ref = Fixtures.freshMass(q, 45);
        float[] out = new float[3 * 6 * 8];
        float[] expected = new float[out.length];
        cache.attend(1, q, out);
        FloatAttention.attend(ref, k, v, positions, 45, SHAPE, expected);
        assertTrue(Fixtures.maxAbsDiff(expected, out) <= 2e-5f);
        assertTrue(Fixtures.maxAbsDiff(ref.keyMass().orElseThrow(), q.keyMass().orElseThrow()) <= 2e-5f);
    }

    @Test
    void forkIsCopyOnWriteAndTruncateKeepsPrefix() {
        Random rnd = new Random(3);
        FloatKvCache cache = new FloatKvCache(SHAPE);
        float[] k = Fixtures.normal(rnd, 10 * 16, 1f);
        for (int layer = 0; layer < 2; layer++) {
            cache.append(layer, k, k, Fixtures.range(0, 10), 10);
        }
        FloatKvCache fork = (FloatKvCache) cache.fork();
        float[] extra = Fixtures.normal(rnd, 3 * 16, 1f);
        fork.append(0, extra, extra, Fixtures.range(10, 3), 3);
        cache.truncate(4);
        assertEquals(4, cache.size(0));
        assertEquals(13, fork.size(0));
        assertEquals(10, fork.size(1));
        assertArrayEquals(Arrays.copyOf(k, 4 * 16), cache.keys(0));
        float[] expected = Arrays.copyOf(k, 13 * 16);
        System.arraycopy(extra, 0, expected, 10 * 16, 3 * 16);
        assertArrayEquals(expected, fork.keys(0));
        cache.append(1, extra, extra, Fixtures.range(4, 3), 3);
        assertArrayEquals(Arrays.copyOf(k, 10 * 16), fork.keys(1));
        assertThrows(IllegalArgumentException.class, () -> cache.truncate(8));
    }
}

package dev.vlflow.kv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Eviction and as-of copies through the {@link KvCache} interface, the same for every cache kind: evicting slots in
 * place leaves the other tokens' positions, keys and values (so attention over them is what a cache of only those
 * tokens computes), a fork's eviction leaves the original alone, and {@code asOf(p)} keeps exactly the positions
 * below {@code p}.
 */
class KvCacheEvictionTest {

    private static final CacheShape SHAPE = new CacheShape(2, 2, 8);

    private static KvCache[] caches(Random rnd, int tokens, int[] positions) {
        FloatKvCache plain = new FloatKvCache(SHAPE);
        PagedKvCache paged = new PagedKvCache(SHAPE, new KvCacheConfig(new PrecisionPolicy.Uniform(16), 8, 4, 2));
        for (int layer = 0; layer < SHAPE.layers(); layer++) {
            float[] k = Fixtures.normal(rnd, tokens * SHAPE.tokenWidth(), 1f);
            float[] v = Fixtures.normal(rnd, tokens * SHAPE.tokenWidth(), 1f);
            plain.append(layer, k, v, positions, tokens);
            paged.append(layer, k, v, positions, tokens);
        }
        return new KvCache[] {plain, paged};
    }

    @Test
    void evictingSlotsKeepsTheOthersExactlyAndForksStayApart() {
        Random rnd = new Random(5);
        int tokens = 21;
        for (KvCache cache : caches(rnd, tokens, Fixtures.range(100, tokens))) {
            KvCache fork = cache.fork();
            int[] drop = {0, 3, 4, 11, 20};
            for (int layer = 0; layer < SHAPE.layers(); layer++) {
                fork.evict(layer, drop);
            }
            for (int layer = 0; layer < SHAPE.layers(); layer++) {
                assertEquals(tokens, cache.size(layer), "the original keeps every token");
                assertEquals(tokens - drop.length, fork.size(layer));
                int[] kept = IntStream.range(0, tokens).filter(s -> Arrays.binarySearch(drop, s) < 0).toArray();
                int[] expected = Arrays.stream(kept).map(s -> cache.positions(0)[s]).sorted().toArray();
                int[] got = fork.positions(layer).clone();
                Arrays.sort(got);
                assertArrayEquals(expected, got, cache.getClass().getSimpleName());
                // what attention sees: the kept tokens' keys and values, by position
                int w = SHAPE.tokenWidth();
                float[] keys = cache.keys(layer);
                float[] forkKeys = fork.keys(layer);
                float[] forkValues = fork.values(layer);
                float[] values = cache.values(layer);
                int[] forkPositions = fork.positions(layer);
                int[] positions = cache.positions(layer);
                for (int s = 0; s < forkPositions.length; s++) {
                    int p = forkPositions[s];
                    int o = IntStream.range(0, tokens).filter(x -> positions[x] == p).findFirst().orElseThrow();
                    assertArrayEquals(Arrays.copyOfRange(keys, o * w, (o + 1) * w),
                            Arrays.copyOfRange(forkKeys, s * w, (s + 1) * w));
                    assertArrayEquals(Arrays.copyOfRange(values, o * w, (o + 1) * w),
                            Arrays.copyOfRange(forkValues, s * w, (s + 1) * w));
                }
            }
        }
        FloatKvCache plain = new FloatKvCache(SHAPE);
        assertThrows(IllegalArgumentException.class, () -> plain.evict(0, new int[] {0}));
    }

    @Test
    void asOfKeepsThePositionsBelowItsBound() {
        Random rnd = new Random(9);
        int tokens = 30;
        for (KvCache cache : caches(rnd, tokens, Fixtures.range(0, tokens))) {
            KvCache view = cache.asOf(17);
            for (int layer = 0; layer < SHAPE.layers(); layer++) {
                int[] got = view.positions(layer).clone();
                Arrays.sort(got);
                assertArrayEquals(Fixtures.range(0, 17), got, cache.getClass().getSimpleName());
                assertEquals(tokens, cache.size(layer));
            }
            // attention of a query at position 17 over the view equals attention over a cache truncated there
            KvCache truncated = cache.fork();
            truncated.truncate(17);
            AttentionQuery q = Fixtures.query(rnd, 1, 4, SHAPE.headDim(), new int[] {17}, new AttentionMask.Causal(),
                    0);
            float[] a = new float[4 * SHAPE.headDim()];
            float[] b = new float[a.length];
            view.attend(1, q, a);
            truncated.attend(1, q, b);
            assertArrayEquals(b, a, 1e-6f);
        }
    }
}

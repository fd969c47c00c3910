package dev.vlflow.operators.evict;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vlflow.conf.KvBudget;
import dev.vlflow.kv.CacheShape;
import dev.vlflow.kv.FloatKvCache;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CacheEvictionTest {

    private static final CacheShape SHAPE = new CacheShape(3, 2, 4);

    private static FloatKvCache cache(int tokens, long seed) {
        Random random = new Random(seed);
        FloatKvCache cache = new FloatKvCache(SHAPE);
        int w = SHAPE.tokenWidth();
        int[] positions = new int[tokens];
        for (int i = 0; i < tokens; i++) {
            positions[i] = 10 + i;
        }
        for (int layer = 0; layer < SHAPE.layers(); layer++) {
            float[] k = new float[tokens * w];
            float[] v = new float[tokens * w];
            for (int i = 0; i < k.length; i++) {
                k[i] = (float) random.nextGaussian();
                v[i] = (float) random.nextGaussian();
            }
            cache.append(layer, k, v, positions, tokens);
        }
        return cache;
    }

    @Test
    void withinBudgetNothingHappens() {
        assertTrue(CacheEviction.apply(cache(8, 1), new KvBudget.Bounded(8, 2, 2, 2)).isEmpty());
        assertTrue(CacheEviction.apply(cache(8, 1), new KvBudget.Unbounded()).isEmpty());
    }

    @Test
    void keepsTheChosenSlotsWithTheirPositionsKeysAndValues() {
        FloatKvCache original = cache(20, 2);
        KvBudget.Bounded budget = new KvBudget.Bounded(9, 2, 3, 4);
        CacheEviction.Result result = CacheEviction.apply(original, budget).orElseThrow();
        assertEquals(11, result.evicted());
        int w = SHAPE.tokenWidth();
        for (int layer = 0; layer < SHAPE.layers(); layer++) {
            FloatKvCache kept = result.cache();
            assertEquals(9, kept.size(layer));
            double[] importance = TokenImportance.score(SHAPE, original.keys(layer), 20, 4);
            int[] slots = KeepSet.select(importance, 20, 9, 2, 3);
            int[] expectedPositions = Arrays.stream(slots).map(s -> 10 + s).toArray();
            assertArrayEquals(expectedPositions, kept.positions(layer));
            for (int j = 0; j < slots.length; j++) {
                assertArrayEquals(Arrays.copyOfRange(original.keys(layer), slots[j] * w, (slots[j] + 1) * w),
                        Arrays.copyOfRange(kept.keys(layer), j * w, (j + 1) * w));
                assertArrayEquals(Arrays.copyOfRange(original.values(layer), slots[j] * w, (slots[j] + 1) * w),
                        Arrays.copyOfRange(kept.values(layer), j * w, (j + 1) * w));
            }
            // sinks and the recent window always stay
            int[] positions = kept.positions(layer);
            assertEquals(10, positions[0]);
            assertEquals(11, positions[1]);
            assertArrayEquals(new int[] {27, 28, 29}, Arrays.copyOfRange(positions, 6, 9));
        }
        assertEquals(20, original.size(0), "the original cache is unchanged");
    }
}

package dev.vlflow.operators.evict;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vlflow.conf.KvBudget;
import dev.vlflow.kv.CacheShape;
import dev.vlflow.kv.FloatKvCache;
import dev.vlflow.kv.KvCacheConfig;
import dev.vlflow.kv.PagedKvCache;
import dev.vlflow.kv.PrecisionPolicy;
import dev.vlflow.kv.paged.Fp16;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;
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
        FloatKvCache kept = (FloatKvCache) original.fork();
        assertEquals(11, CacheEviction.apply(kept, budget).orElseThrow(), "in place");
        int w = SHAPE.tokenWidth();
        for (int layer = 0; layer < SHAPE.layers(); layer++) {
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
        assertEquals(20, original.size(0), "a fork's eviction leaves the original unchanged");
    }

    /**
     * A paged cache whose slots are not in position order (tokens appended shuffled) is evicted by position: with
     * fp16-exact data at 16 bits, it keeps exactly the tokens the float cache of the same tokens keeps.
     */
    @Test
    void aPagedCacheKeepsWhatTheFloatCacheKeepsChosenByPosition() {
        int tokens = 40;
        Random random = new Random(3);
        int w = SHAPE.tokenWidth();
        FloatKvCache plain = new FloatKvCache(SHAPE);
        PagedKvCache paged = new PagedKvCache(SHAPE, new KvCacheConfig(new PrecisionPolicy.Uniform(16), 8, 4, 2));
        List<Integer> order = new java.util.ArrayList<>(IntStream.range(0, tokens).boxed().toList());
        Collections.shuffle(order, random);
        for (int layer = 0; layer < SHAPE.layers(); layer++) {
            float[] k = new float[tokens * w];
            float[] v = new float[tokens * w];
            for (int i = 0; i < k.length; i++) {
                k[i] = Fp16.toFloat(Fp16.fromFloat((float) random.nextGaussian()));
                v[i] = Fp16.toFloat(Fp16.fromFloat((float) random.nextGaussian()));
            }
            plain.append(layer, k, v, IntStream.range(0, tokens).map(i -> 100 + i).toArray(), tokens);
            for (int t : order) { // one token at a time, so all but the last two leave the window for pages
                paged.append(layer, Arrays.copyOfRange(k, t * w, (t + 1) * w), Arrays.copyOfRange(v, t * w,
                        (t + 1) * w), new int[] {100 + t}, 1);
            }
        }
        KvBudget.Bounded budget = new KvBudget.Bounded(17, 3, 5, 4);
        assertEquals(23, CacheEviction.apply(plain, budget).orElseThrow());
        FloatKvCache kept = plain;
        assertEquals(23, CacheEviction.apply(paged, budget).orElseThrow());
        for (int layer = 0; layer < SHAPE.layers(); layer++) {
            assertEquals(17, paged.size(layer));
            int[] positions = paged.positions(layer).clone();
            Arrays.sort(positions);
            assertArrayEquals(kept.positions(layer), positions);
        }
        assertTrue(CacheEviction.apply(paged, budget).isEmpty(), "within budget now");
    }
}

package dev.vlflow.kv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * Sealing (ZipVL: the prompt quantized whole at the end of prefill) on a tiny cache: 1 layer, 1 KV head, headDim 8,
 * key groups of 2 tokens, pages of 4 tokens, an fp32 window of 8, mixed 4/2 bits. Exact bookkeeping and bytes.
 */
class PagedKvCacheSealTest {

    private static final CacheShape SHAPE = new CacheShape(1, 1, 8);
    private static final KvCacheConfig CONFIG = new KvCacheConfig(new PrecisionPolicy.MixedByImportance(4, 2), 4,
            2, 8);
    private static final long GROUP_4BIT = PagedKvCacheBookkeepingTest.GROUP_4BIT;
    private static final long GROUP_2BIT = PagedKvCacheBookkeepingTest.GROUP_2BIT;

    private static PagedKvCache sealed() {
        PagedKvCache cache = new PagedKvCache(SHAPE, CONFIG);
        float[] k = new float[5 * 8];
        for (int i = 0; i < k.length; i++) {
            k[i] = (float) Math.sin(i * 0.7) + i / 8;
        }
        cache.append(0, k, k, new int[] {0, 1, 2, 3, 4}, 5);
        cache.markImportance(0, new boolean[] {true, false, false, true, true});
        assertEquals(5, cache.unsealed(0));
        cache.seal(0);
        return cache;
    }

    @Test
    void sealQuantizesEveryTokenAndPadsPartialGroupsWithDeadCopies() {
        PagedKvCache cache = sealed();
        assertEquals(5, cache.size(0));
        assertEquals(0, cache.unsealed(0));
        assertArrayEquals(new int[] {4, 4, 4, 2, 2}, cache.storedBits(0));
        assertArrayEquals(new int[] {0, 3, 4, 1, 2}, cache.positions(0));
        LayerLayout layout = cache.layout(0);
        assertEquals(2, layout.pages().size());
        assertEquals(4, layout.pages().get(0).count());   // 3 tokens + 1 dead copy of position 4
        assertArrayEquals(new int[] {0, 3, 4}, layout.pages().get(0).livePositions());
        assertEquals(2, layout.pages().get(1).count());
        assertEquals(0, layout.window());
        // codes and params per group, a 4-byte position per slot, a live bitmap byte per page
        long expected = 2 * GROUP_4BIT + 4 * 4 + 1 + GROUP_2BIT + 2 * 4 + 1;
        assertEquals(expected, cache.bytes());
    }

    @Test
    void newTokensAfterASealAreTheOnlyUnsealedOnes() {
        PagedKvCache cache = sealed();
        cache.append(0, new float[8], new float[8], new int[] {5}, 1);
        assertEquals(1, cache.unsealed(0));
        assertArrayEquals(new int[] {4, 4, 4, 2, 2, 32}, cache.storedBits(0));
    }

    @Test
    void aSealedCacheSurvivesSnapshotAndRestoreBitForBit() {
        PagedKvCache cache = sealed();
        byte[] bytes = cache.toBytes();
        PagedKvCache restored = PagedKvCache.fromBytes(bytes);
        assertArrayEquals(bytes, restored.toBytes());
        float[] q = new float[8];
        for (int i = 0; i < 8; i++) {
            q[i] = 0.3f * i - 1;
        }
        float[] a = new float[8];
        float[] b = new float[8];
        cache.attend(0, AttentionQuery.causal(q, 1, 1, new int[] {9}, 0.35f), a);
        restored.attend(0, AttentionQuery.causal(q, 1, 1, new int[] {9}, 0.35f), b);
        assertArrayEquals(a, b);
    }
}

package dev.vlflow.kv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Exact page-table bookkeeping on a tiny cache: 1 layer, 1 KV head, headDim 8, key groups of 2 tokens, pages of
 * 4 tokens, an fp32 window of 2, mixed 4/2 bits. No model, exact asserts.
 */
class PagedKvCacheBookkeepingTest {

    private static final CacheShape SHAPE = new CacheShape(1, 1, 8);
    private static final KvCacheConfig CONFIG = new KvCacheConfig(new PrecisionPolicy.MixedByImportance(4, 2), 4,
            2, 2);
    /**
     * Bytes of one full group: K and V codes (16 elements each) and 4-byte (zero, scale) params: keys one per
     * channel (8), values one per token and group of 2 channels (2 × 4).
     */
    static final long GROUP_4BIT = 2 * 8 + 4 * (8 + 8);
    static final long GROUP_2BIT = 2 * 4 + 4 * (8 + 8);
    private static final long FP32_TOKEN = 2 * 8 * 4 + 4 + 1;

    private static void append(PagedKvCache cache, int... positions) {
        int n = positions.length;
        float[] k = new float[n * 8];
        for (int i = 0; i < k.length; i++) {
            k[i] = positions[i / 8] + 0.125f * (i % 8);
        }
        cache.append(0, k, k, positions, n);
    }

    private static void assertPage(LayerLayout.PageInfo page, int bits, int count, int... livePositions) {
        assertEquals(bits, page.bits());
        assertEquals(count, page.count());
        assertEquals(livePositions.length, page.live());
        assertArrayEquals(livePositions, page.livePositions());
    }

    /** Six tokens, importance T F F T F F, then one more append moves tokens 0..3 out of the window. */
    private static PagedKvCache populated() {
        PagedKvCache cache = new PagedKvCache(SHAPE, CONFIG);
        append(cache, 0, 1, 2, 3, 4, 5);
        assertEquals(6, cache.layout(0).window());
        assertArrayEquals(new int[] {32, 32, 32, 32, 32, 32}, cache.storedBits(0));
        cache.setImportance(0, new boolean[] {true, false, false, true, false, false});
        append(cache, 6);
        return cache;
    }

    @Test
    void tokensLeaveTheWindowIntoPagesOfTheirPrecision() {
        PagedKvCache cache = populated();
        LayerLayout layout = cache.layout(0);
        assertEquals(2, layout.pages().size());
        assertPage(layout.pages().get(0), 4, 2, 0, 3);
        assertPage(layout.pages().get(1), 2, 2, 1, 2);
        assertArrayEquals(new int[] {0, 0, 0, 0}, layout.staging());
        assertEquals(3, layout.window());
        assertArrayEquals(new int[] {0, 3, 1, 2, 4, 5, 6}, cache.positions(0));
        assertArrayEquals(new int[] {4, 4, 2, 2, 32, 32, 32}, cache.storedBits(0));
        assertEquals(GROUP_4BIT + 2 * 4 + 1 + GROUP_2BIT + 2 * 4 + 1 + 3 * FP32_TOKEN, cache.bytes());
    }

    @Test
    void demotionMovesAQuantizedTokenThroughStaging() {
        PagedKvCache cache = populated();
        cache.setPrecision(0, new int[] {0}, 2); // position 0: 4 -> 2 bits
        LayerLayout layout = cache.layout(0);
        assertPage(layout.pages().get(0), 4, 2, 3);
        assertPage(layout.pages().get(1), 2, 2, 1, 2);
        assertArrayEquals(new int[] {0, 0, 0, 1}, layout.staging());
        assertArrayEquals(new int[] {3, 1, 2, 0, 4, 5, 6}, cache.positions(0));
        assertArrayEquals(new int[] {4, 2, 2, 32, 32, 32, 32}, cache.storedBits(0));
        // a second demoted token completes a 2-bit group, which fills the open 2-bit page
        cache.setPrecision(0, new int[] {4}, 2); // position 4, in the window: only its target changes
        append(cache, 7);                        // window 4,5,6 -> position 4 leaves to 2-bit staging
        layout = cache.layout(0);
        assertEquals(2, layout.pages().size());
        assertPage(layout.pages().get(1), 2, 4, 1, 2, 0, 4);
        assertArrayEquals(new int[] {0, 0, 0, 0}, layout.staging());
        assertArrayEquals(new int[] {3, 1, 2, 0, 4, 5, 6, 7}, cache.positions(0));
    }

    @Test
    void evictionKillsTokensAndFreesEmptyPages() {
        PagedKvCache cache = populated();
        cache.evict(0, new int[] {2, 5}); // position 1 (2-bit page) and position 5 (window)
        LayerLayout layout = cache.layout(0);
        assertPage(layout.pages().get(1), 2, 2, 2);
        assertEquals(2, layout.window());
        assertArrayEquals(new int[] {0, 3, 2, 4, 6}, cache.positions(0));
        cache.evict(0, new int[] {0, 1}); // the whole 4-bit page
        layout = cache.layout(0);
        assertEquals(1, layout.pages().size());
        assertPage(layout.pages().get(0), 2, 2, 2);
        assertArrayEquals(new int[] {2, 4, 6}, cache.positions(0));
        assertEquals(GROUP_2BIT + 2 * 4 + 1 + 2 * FP32_TOKEN, cache.bytes());
        assertThrows(IllegalArgumentException.class, () -> cache.evict(0, new int[] {3}));
        assertThrows(IllegalArgumentException.class, () -> cache.evict(0, new int[] {1, 1}));
    }

    @Test
    void forkSharesPagesUntilOneSideWrites() {
        PagedKvCache cache = populated();
        cache.setPrecision(0, new int[] {0}, 2);
        PagedKvCache fork = cache.fork();
        assertEquals(cache.bytes(), fork.bytes());
        append(fork, 7); // position 4 (target 2 bits) leaves the fork's window, completing a group with position 0
        assertPage(fork.layout(0).pages().get(1), 2, 4, 1, 2, 0, 4);
        assertPage(cache.layout(0).pages().get(1), 2, 2, 1, 2);
        assertArrayEquals(new int[] {3, 1, 2, 0, 4, 5, 6}, cache.positions(0));
        assertArrayEquals(new int[] {3, 1, 2, 0, 4, 5, 6, 7}, fork.positions(0));
        fork.evict(0, new int[] {0});
        assertPage(cache.layout(0).pages().get(0), 4, 2, 3);
        assertEquals(0, fork.layout(0).pages().stream().filter(p -> p.bits() == 4).count());
        cache.truncate(3);
        assertArrayEquals(new int[] {3, 1, 2}, cache.positions(0));
        assertArrayEquals(new int[] {1, 2, 0, 4, 5, 6, 7}, fork.positions(0));
    }

    @Test
    void truncateDropsTheNewestSlots() {
        PagedKvCache cache = populated();
        cache.truncate(5); // drops window positions 5 and 6
        assertArrayEquals(new int[] {0, 3, 1, 2, 4}, cache.positions(0));
        cache.truncate(1); // cuts into pages: position 3 dies, the 2-bit page is freed
        LayerLayout layout = cache.layout(0);
        assertEquals(List.of(4), layout.pages().stream().map(LayerLayout.PageInfo::bits).toList());
        assertPage(layout.pages().get(0), 4, 2, 0);
        assertEquals(0, layout.window());
        assertThrows(IllegalArgumentException.class, () -> cache.truncate(2));
    }

    @Test
    void importanceMustCoverEverySlot() {
        PagedKvCache cache = populated();
        assertThrows(IllegalArgumentException.class, () -> cache.setImportance(0, new boolean[3]));
        assertThrows(IllegalArgumentException.class, () -> cache.setPrecision(0, new int[] {0}, 3));
    }
}

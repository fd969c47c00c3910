package dev.vlflow.kv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vlflow.kv.paged.LayerParts.PageKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Page-level export and import of the paged cache: a store fed only the deltas holds, after every step, parts that
 * restore a cache equal to the original bit for bit (positions, stored precisions, dequantized contents, attention
 * output, and what later appends do); an append writes only the tail and the pages that gained a group.
 */
class PagedKvCachePartsTest {

    private static final CacheShape SHAPE = new CacheShape(2, 2, 32);

    /** What a key-value store holds for one cache, fed by deltas. */
    private static final class Store {
        final Map<Integer, byte[]> tails = new HashMap<>();
        final Map<Long, byte[]> pages = new HashMap<>();
        final Map<Long, byte[]> rows = new HashMap<>();

        List<PagedKvCacheParts.LayerDelta> write(PagedKvCache cache) {
            List<PagedKvCacheParts.LayerDelta> deltas = new ArrayList<>();
            for (int l = 0; l < SHAPE.layers(); l++) {
                var d = PagedKvCacheParts.delta(cache, l, tails.get(l));
                tails.put(l, d.tail());
                for (var e : d.pages().entrySet()) {
                    pages.put(key(l, e.getKey()), e.getValue());
                }
                for (var e : d.rows().entrySet()) {
                    assertTrue(rows.put(key(l, e.getKey()), e.getValue()) == null, "a row is written once");
                }
                for (long id : d.removedPages()) {
                    assertTrue(pages.remove(key(l, id)) != null, "removed page " + id + " was stored");
                }
                for (long id : d.removedRows()) {
                    assertTrue(rows.remove(key(l, id)) != null, "removed row " + id + " was stored");
                }
                deltas.add(d);
            }
            return deltas;
        }

        PagedKvCache restore() throws Exception {
            List<byte[]> t = IntStream.range(0, SHAPE.layers()).mapToObj(tails::get).toList();
            return PagedKvCacheParts.restore(SHAPE, t, (l, part, id) -> (part == PagedKvCacheParts.Part.PAGE ? pages
                    : rows).get(key(l, id)));
        }

        static long key(int layer, long id) {
            return ((long) layer << 32) | id;
        }
    }

    private static void assertSameCache(PagedKvCache expected, PagedKvCache actual, Random rnd) {
        assertEquals(expected.config(), actual.config());
        for (int l = 0; l < SHAPE.layers(); l++) {
            assertEquals(expected.size(l), actual.size(l));
            assertArrayEquals(expected.positions(l), actual.positions(l));
            assertArrayEquals(expected.storedBits(l), actual.storedBits(l));
            var a = expected.dequantize(l);
            var b = actual.dequantize(l);
            assertArrayEquals(a.keys(), b.keys());
            assertArrayEquals(a.values(), b.values());
            assertArrayEquals(PagedKvCacheParts.tail(expected, l), PagedKvCacheParts.tail(actual, l));
            if (expected.size(l) > 0) {
                int[] pos = expected.positions(l);
                int last = java.util.Arrays.stream(pos).max().orElse(0);
                AttentionQuery q = Fixtures.query(rnd, 3, 4, SHAPE.headDim(), new int[] {last + 1, last + 2,
                        last + 3}, new AttentionMask.Causal(), 0);
                float[] x = new float[3 * 4 * SHAPE.headDim()];
                float[] y = new float[x.length];
                expected.attend(l, q, x);
                actual.attend(l, q, y);
                assertArrayEquals(x, y, "attention of layer " + l);
            }
        }
    }

    private static void append(PagedKvCache cache, Random rnd, int[] next, int n) {
        for (int l = 0; l < SHAPE.layers(); l++) {
            cache.append(l, PagedFixtures.keys(rnd, n, SHAPE), Fixtures.normal(rnd, n * SHAPE.tokenWidth(), 1f),
                    Fixtures.range(next[0], n), n);
        }
        next[0] += n;
    }

    @ParameterizedTest
    @ValueSource(strings = {"16", "8", "4", "2", "mixed:4/2", "mixed:8/2@0.9"})
    void partsWrittenAsDeltasRestoreAnEqualCacheAfterEveryStep(String precision) throws Exception {
        Random rnd = new Random(precision.hashCode());
        KvCacheConfig config = new KvCacheConfig(PrecisionPolicy.parse(precision), 32, 8, 12);
        PagedKvCache cache = new PagedKvCache(SHAPE, config);
        Store store = new Store();
        store.write(cache);
        assertSameCache(cache, store.restore(), rnd);
        int[] next = {0};
        for (int step = 0; step < 14; step++) {
            append(cache, rnd, next, 1 + rnd.nextInt(30)); // crosses groups and pages
            for (int l = 0; l < SHAPE.layers(); l++) {
                if (step % 3 == 1) { // demotion and promotion of quantized and window tokens
                    boolean[] important = new boolean[cache.size(l)];
                    for (int s = 0; s < important.length; s++) {
                        important[s] = rnd.nextFloat() < 0.4f;
                    }
                    cache.setImportance(l, important);
                    cache.setPrecision(l, new int[] {rnd.nextInt(cache.size(l))}, 16);
                }
                if (step % 4 == 3) { // eviction of random slots
                    int[] slots = rnd.ints(0, cache.size(l)).distinct().limit(cache.size(l) / 5).toArray();
                    cache.evict(l, slots);
                }
            }
            store.write(cache);
            PagedKvCache restored = store.restore();
            assertSameCache(cache, restored, rnd);
            // the restored cache goes on exactly like the original (open pages, staging, page ids)
            long seed = rnd.nextLong();
            PagedKvCache a = cache.fork();
            PagedKvCache b = restored;
            int[] na = {next[0]};
            int[] nb = {next[0]};
            append(a, new Random(seed), na, 21);
            append(b, new Random(seed), nb, 21);
            assertSameCache(a, b, rnd);
        }
        assertFalse(store.pages.isEmpty());
        // the store holds exactly the parts of the cache: nothing stale
        long stored = store.pages.values().stream().mapToLong(x -> x.length).sum()
                + store.rows.values().stream().mapToLong(x -> x.length).sum()
                + store.tails.values().stream().mapToLong(x -> x.length).sum();
        assertEquals(PagedKvCacheParts.bytes(cache), stored);
    }

    @Test
    void anAppendWritesOnlyTheTailAndThePagesThatGainedAGroup() throws Exception {
        KvCacheConfig config = new KvCacheConfig(new PrecisionPolicy.Uniform(4), 32, 8, 8);
        PagedKvCache cache = new PagedKvCache(SHAPE, config);
        Store store = new Store();
        Random rnd = new Random(7);
        int[] next = {0};
        append(cache, rnd, next, 100);
        append(cache, rnd, next, 1); // moves the window out: 88 quantized tokens = 2 full pages + 24 tokens
        store.write(cache);
        List<PageKey> before = PagedKvCacheParts.pageTable(cache, 0);
        assertEquals(List.of(32, 32, 24), before.stream().map(PageKey::tokens).toList());

        List<Long> rowsBefore = PagedKvCacheParts.rowIds(cache, 0);
        append(cache, rnd, next, 3); // 1 token leaves the window for staging: no new group yet
        var deltas = store.write(cache);
        List<Long> rowsNow = PagedKvCacheParts.rowIds(cache, 0);
        for (var d : deltas) {
            assertTrue(d.pages().isEmpty(), "no page changed: " + d.pages().keySet());
            assertTrue(d.removedPages().isEmpty());
            assertEquals(3, d.rows().size(), "only the new tokens' rows");
            assertTrue(d.removedRows().isEmpty(), "the token moved to staging keeps its row");
        }
        assertEquals(rowsNow.subList(rowsNow.size() - 3, rowsNow.size()), List.copyOf(deltas.get(0).rows().keySet()));
        assertTrue(rowsNow.containsAll(rowsBefore));
        append(cache, rnd, next, 8); // a group completes: the open page grows to 32 tokens, nothing else
        deltas = store.write(cache);
        for (var d : deltas) {
            assertEquals(Set.of(before.get(2).id()), d.pages().keySet());
            assertTrue(d.removedPages().isEmpty());
            assertEquals(8, d.rows().size());
            assertEquals(8, d.removedRows().size(), "the quantized group's rows");
        }
        append(cache, rnd, next, 8); // the next group starts a new page
        deltas = store.write(cache);
        List<PageKey> now = PagedKvCacheParts.pageTable(cache, 0);
        assertEquals(4, now.size());
        for (var d : deltas) {
            assertEquals(Set.of(now.get(3).id()), d.pages().keySet(), "only the new page");
        }
        // evicting tokens only changes live bits (the tail); a page left empty is removed
        Set<Integer> slots = new HashSet<>();
        for (int s = 0; s < 32; s++) {
            slots.add(s); // all of the first page
        }
        slots.add(40);
        for (int l = 0; l < SHAPE.layers(); l++) {
            cache.evict(l, slots.stream().mapToInt(Integer::intValue).toArray());
        }
        deltas = store.write(cache);
        for (var d : deltas) {
            assertTrue(d.pages().isEmpty() && d.rows().isEmpty());
            assertEquals(List.of(now.get(0).id()), d.removedPages());
        }
        assertSameCache(cache, store.restore(), rnd);
    }

    @Test
    void forksNeverGiveANewPageAnIdTheOtherSideUses() {
        KvCacheConfig config = new KvCacheConfig(new PrecisionPolicy.Uniform(2), 16, 8, 0);
        PagedKvCache a = new PagedKvCache(SHAPE, config);
        Random rnd = new Random(3);
        int[] next = {0};
        append(a, rnd, next, 24);
        append(a, rnd, next, 1); // 24 tokens quantized: pages of 16 and 8
        Set<Long> before = new HashSet<>();
        PagedKvCacheParts.pageTable(a, 0).forEach(k -> before.add(k.id()));
        assertEquals(2, before.size());
        PagedKvCache b = a.fork();
        for (PagedKvCache c : List.of(a, b)) {
            append(c, rnd, next, 40);
            append(c, rnd, next, 1);
        }
        Set<Long> newInA = new HashSet<>();
        PagedKvCacheParts.pageTable(a, 0).forEach(k -> newInA.add(k.id()));
        newInA.removeAll(before);
        Set<Long> newInB = new HashSet<>();
        PagedKvCacheParts.pageTable(b, 0).forEach(k -> newInB.add(k.id()));
        newInB.removeAll(before);
        assertEquals(2, newInA.size());
        assertEquals(2, newInB.size());
        assertTrue(newInA.stream().noneMatch(newInB::contains), newInA + " " + newInB);
    }

    @Test
    void partsOfAnotherVersionAreRejectedWithAClearMessage() throws Exception {
        KvCacheConfig config = new KvCacheConfig(new PrecisionPolicy.Uniform(4), 32, 8, 8);
        PagedKvCache cache = new PagedKvCache(SHAPE, config);
        int[] next = {0};
        append(cache, new Random(5), next, 60);
        append(cache, new Random(6), next, 1); // quantizes 48 tokens
        Store store = new Store();
        store.write(cache);
        byte[] tail = store.tails.get(1);
        tail[5] = 9; // version u16 at bytes 4..5
        var e = assertThrows(UncheckedIOException.class, () -> PagedKvCacheParts.pageTable(tail));
        assertTrue(e.getMessage().contains("version 9") && e.getMessage().contains("reads version 1"),
                e.getMessage());
        Store pages = new Store();
        pages.write(cache);
        byte[] page = pages.pages.values().iterator().next();
        page[5] = 2;
        var p = assertThrows(IOException.class, pages::restore);
        assertTrue(p.getMessage().contains("page blob version 2"), p.getMessage());
        page[5] = 1;
        byte[] row = pages.rows.values().iterator().next();
        row[1] = 3;
        var r = assertThrows(IOException.class, pages::restore);
        assertTrue(r.getMessage().contains("row blob version 3"), r.getMessage());
    }
}

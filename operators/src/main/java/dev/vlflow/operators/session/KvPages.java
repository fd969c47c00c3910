package dev.vlflow.operators.session;

import dev.vlflow.kv.CacheShape;
import dev.vlflow.kv.FloatKvCache;
import dev.vlflow.kv.KvCache;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.state.MapState;

/**
 * A stream's KV cache as pages in {@code MapState<Long, byte[]>}: page {@code p} of layer {@code l} holds slots
 * {@code [p * pageTokens, (p + 1) * pageTokens)} under the key {@code l << 32 | p}. Appending a segment rewrites
 * the last, partial page of each layer and adds new ones; nothing else is touched, so incremental checkpoints
 * carry only what changed.
 */
public final class KvPages {

    private final MapState<Long, byte[]> pages;

    public KvPages(MapState<Long, byte[]> pages) {
        this.pages = pages;
    }

    /** The state key of one page. */
    public static long key(int layer, int page) {
        return ((long) layer << 32) | (page & 0xFFFFFFFFL);
    }

    /**
     * Writes the pages of {@code cache} from slot {@code dirtyFrom} on (every layer holds the same number of
     * tokens), and removes the pages the stored cache of {@code previousTokens} tokens had beyond the new end
     * (after eviction shrank it). An append passes {@code dirtyFrom = previousTokens}: only the last partial page
     * and new pages are written. An eviction passes 0.
     *
     * @return bytes written
     */
    public long write(KvCache cache, int dirtyFrom, int previousTokens, int pageTokens) throws Exception {
        CacheShape shape = cache.shape();
        long written = 0;
        for (int layer = 0; layer < shape.layers(); layer++) {
            int size = cache.size(layer);
            int firstDirty = Math.min(dirtyFrom, size) / pageTokens;
            int pageCount = pageCount(size, pageTokens);
            if (firstDirty < pageCount) {
                int[] positions = cache.positions(layer);
                float[] keys = cache.keys(layer);
                float[] values = cache.values(layer);
                for (int page = firstDirty; page < pageCount; page++) {
                    int from = page * pageTokens;
                    byte[] bytes = KvPageCodec.encode(shape, positions, keys, values, from,
                            Math.min(pageTokens, size - from));
                    pages.put(key(layer, page), bytes);
                    written += bytes.length;
                }
            }
            for (int page = pageCount; page < pageCount(previousTokens, pageTokens); page++) {
                pages.remove(key(layer, page));
            }
        }
        return written;
    }

    /** Rebuilds the cache from its pages ({@code tokens} per layer, written {@code pageTokens} to a page). */
    public FloatKvCache read(CacheShape shape, int tokens, int pageTokens) throws Exception {
        FloatKvCache cache = new FloatKvCache(shape);
        for (int layer = 0; layer < shape.layers(); layer++) {
            int pageCount = pageCount(tokens, pageTokens);
            for (int page = 0; page < pageCount; page++) {
                byte[] bytes = pages.get(key(layer, page));
                if (bytes == null) {
                    throw new IllegalStateException("KV page " + page + " of layer " + layer + " is missing");
                }
                KvPage p = KvPageCodec.decode(bytes, shape);
                cache.append(layer, p.keys(), p.values(), p.positions(), p.tokens());
            }
            if (cache.size(layer) != tokens) {
                throw new IllegalStateException("layer " + layer + " restored " + cache.size(layer)
                        + " tokens, metadata says " + tokens);
            }
        }
        return cache;
    }

    /** Bytes of the pages of a cache of {@code tokens} tokens per layer (what {@link #write} stores). */
    public static long stateBytes(CacheShape shape, int tokens, int pageTokens) {
        int full = tokens / pageTokens;
        int rest = tokens % pageTokens;
        long perLayer = full * KvPageCodec.pageBytes(shape, pageTokens) + (rest > 0 ? KvPageCodec.pageBytes(shape, rest)
                : 0);
        return perLayer * shape.layers();
    }

    /** Bytes of all pages (for reports and the state-size benchmark). */
    public long bytes() throws Exception {
        long total = 0;
        for (byte[] v : pages.values()) {
            total += v.length;
        }
        return total;
    }

    /** Page keys currently stored, in no particular order (tests). */
    public List<Long> keys() throws Exception {
        List<Long> keys = new ArrayList<>();
        pages.keys().forEach(keys::add);
        return keys;
    }

    public void clear() {
        pages.clear();
    }

    static int pageCount(int tokens, int pageTokens) {
        return (tokens + pageTokens - 1) / pageTokens;
    }
}

package dev.vlflow.operators.session;

import dev.vlflow.kv.CacheShape;
import dev.vlflow.kv.PagedKvCache;
import dev.vlflow.kv.PagedKvCacheParts;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.state.MapState;

/**
 * A stream's quantized KV cache in {@code MapState<Long, byte[]>}, in the cache's own precision
 * ({@link PagedKvCacheParts}): per layer one entry per quantized page (immutable blob), one per fp32 row of the
 * window and staging buffers (immutable blob), and the layer's small tail (page table with live bits, which rows
 * each fp32 buffer holds). A write puts every tail, the new rows and the pages that gained a key group or are new,
 * and removes the pages that left the table and the rows that were quantized or evicted; a sealed page and a row
 * are written once.
 *
 * <pre>
 * key = 1 (sign bit) | layer (23 bits) | kind (2 bits: 0 tail, 1 page, 2 row) | id (38 bits)
 * </pre>
 * Keys are negative, so they never meet the float32 pages of {@link KvPages} (non-negative keys) in the same map;
 * a stream uses one layout, and the tail of layer 0 marks this one.
 */
public final class PagedKvState {

    private static final int TAIL = 0;
    private static final int PAGE = 1;
    private static final int ROW = 2;
    private static final long MAX_ID = (1L << 38) - 1;

    private final MapState<Long, byte[]> entries;

    public PagedKvState(MapState<Long, byte[]> entries) {
        this.entries = entries;
    }

    /** The state key of the tail of a layer. */
    public static long tailKey(int layer) {
        return key(layer, TAIL, 0);
    }

    /** The state key of page {@code id} of a layer. */
    public static long pageKey(int layer, long id) {
        return key(layer, PAGE, id);
    }

    /** The state key of fp32 row {@code id} of a layer. */
    public static long rowKey(int layer, long id) {
        return key(layer, ROW, id);
    }

    private static long key(int layer, int kind, long id) {
        if (layer < 0 || layer >= 1 << 23 || id < 0 || id > MAX_ID) {
            throw new IllegalStateException("layer " + layer + " / id " + id + " does not fit a state key");
        }
        return Long.MIN_VALUE | ((long) layer << 40) | ((long) kind << 38) | id;
    }

    /** Whether this stream's cache is stored in this layout. */
    public boolean present() throws Exception {
        return entries.contains(tailKey(0));
    }

    /**
     * Brings the stored parts up to date with {@code cache}.
     *
     * @return bytes written
     */
    public long write(PagedKvCache cache) throws Exception {
        long written = 0;
        for (int layer = 0; layer < cache.shape().layers(); layer++) {
            long tailKey = tailKey(layer);
            PagedKvCacheParts.LayerDelta delta = PagedKvCacheParts.delta(cache, layer, entries.get(tailKey));
            for (var page : delta.pages().entrySet()) {
                entries.put(pageKey(layer, page.getKey()), page.getValue());
            }
            for (var row : delta.rows().entrySet()) {
                entries.put(rowKey(layer, row.getKey()), row.getValue());
            }
            for (long id : delta.removedPages()) {
                entries.remove(pageKey(layer, id));
            }
            for (long id : delta.removedRows()) {
                entries.remove(rowKey(layer, id));
            }
            entries.put(tailKey, delta.tail());
            written += delta.bytes();
        }
        return written;
    }

    /** Rebuilds the stored cache (equal to the one last written). */
    public PagedKvCache read(CacheShape shape) throws Exception {
        List<byte[]> tails = new ArrayList<>();
        for (int layer = 0; layer < shape.layers(); layer++) {
            byte[] tail = entries.get(tailKey(layer));
            if (tail == null) {
                throw new IllegalStateException("KV tail of layer " + layer + " is missing");
            }
            tails.add(tail);
        }
        return PagedKvCacheParts.restore(shape, tails, (layer, part, id) -> entries.get(
                part == PagedKvCacheParts.Part.PAGE ? pageKey(layer, id) : rowKey(layer, id)));
    }
}

package dev.vlflow.kv;

import dev.vlflow.kv.paged.LayerParts;
import dev.vlflow.kv.paged.LayerParts.PageKey;
import dev.vlflow.kv.paged.PageGeometry;
import dev.vlflow.kv.paged.PagedLayer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link PagedKvCache} as page-level parts, for stores that write only what changed (the streaming job's keyed
 * state): per layer, one immutable blob per quantized page (id, token count), one immutable blob per fp32 row
 * (window and staging tokens, by row id) and one small mutable tail. After appending tokens only the tail, the new
 * rows and the pages that gained a key group (or were created) differ; rows that were quantized and pages that
 * left the table are to be removed; an eviction or a demotion rewrites tails (live bits) and adds the new pages and
 * rows of requantized tokens. {@link #restore} rebuilds a cache equal to the original: same pages, live bits, open
 * pages, staging buffers, window and id counter, so attention and later appends are identical.
 *
 * <pre>
 * tail     magic 'V' 'L' 'K' 'T' | version u16 = 1 | layer i32
 *          shape    layers i32 | kvHeads i32 | headDim i32
 *          config   policy u8 (1 = uniform, 2 = mixed) | bits u8 (uniform) or high u8 | low u8 | mass f64 (mixed)
 *                   pageTokens i32 | groupSize i32 | fpWindow i32
 *          body     see {@link LayerParts}: nextId | page table (id, count, live bits) | open pages
 *                   | fp32 buffers ×5 (row id, position, target bits per token)
 * page     see {@link LayerParts}: magic 'V' 'L' 'K' 'P' | version u16 = 1 | id i64 | page content
 * row      see {@link LayerParts}: version u16 = 1 | id i64 | keys f32 | values f32
 * </pre>
 * (big-endian.) A reader rejects another magic or version with an {@link IOException} naming both.
 */
public final class PagedKvCacheParts {

    public static final int TAIL_MAGIC = 0x564c4b54; // "VLKT"
    public static final int TAIL_VERSION = 1;

    /** The kinds of blobs besides tails. */
    public enum Part { PAGE, ROW }

    /**
     * What a store does for one layer to hold the cache's current state.
     *
     * @param tail         the layer's new tail (always written)
     * @param pages        page blobs to put, by page id
     * @param rows         fp32 row blobs to put, by row id
     * @param removedPages page ids to remove (pages that left the table since the previous tail)
     * @param removedRows  row ids to remove (rows quantized or evicted since the previous tail)
     */
    public record LayerDelta(byte[] tail, Map<Long, byte[]> pages, Map<Long, byte[]> rows, List<Long> removedPages,
                             List<Long> removedRows) {

        /** Bytes put: tail, page and row blobs. */
        public long bytes() {
            return tail.length + pages.values().stream().mapToLong(b -> b.length).sum()
                    + rows.values().stream().mapToLong(b -> b.length).sum();
        }
    }

    /** Reads a stored blob of {@code layer}; null when absent. */
    @FunctionalInterface
    public interface PartReader {
        byte[] read(int layer, Part part, long id) throws Exception;
    }

    private PagedKvCacheParts() {
    }

    /** The current tail of one layer. */
    public static byte[] tail(PagedKvCache cache, int layer) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(TAIL_MAGIC);
            out.writeShort(TAIL_VERSION);
            out.writeInt(layer);
            PagedKvCacheFormat.writeHeader(cache.shape(), cache.config(), true, out);
            LayerParts.writeTail(cache.layer(layer), out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** The page table of one layer now. */
    public static List<PageKey> pageTable(PagedKvCache cache, int layer) {
        return LayerParts.pageKeys(cache.layer(layer));
    }

    /** The blob of one page of a layer's table. */
    public static byte[] page(PagedKvCache cache, int layer, long id) {
        return LayerParts.pageBlob(cache.layer(layer), id);
    }

    /** The ids of one layer's fp32 rows now, in slot order. */
    public static List<Long> rowIds(PagedKvCache cache, int layer) {
        return LayerParts.rowIds(cache.layer(layer));
    }

    /** The blob of one fp32 row of a layer. */
    public static byte[] row(PagedKvCache cache, int layer, long id) {
        return LayerParts.rowBlob(cache.layer(layer), id);
    }

    /** The pages and rows a stored tail refers to. */
    public static LayerParts.Manifest manifest(byte[] tail) {
        try {
            DataInputStream in = open(tail);
            in.readInt();
            PagedKvCacheFormat.readHeader(in, true, "KV layer tail");
            return LayerParts.readManifest(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The page table a stored tail describes. */
    public static List<PageKey> pageTable(byte[] tail) {
        return manifest(tail).pages();
    }

    /**
     * What to write for one layer, given the tail stored before ({@code null}: nothing stored): the new tail, the
     * pages whose (id, token count) and the rows whose id the previous tail did not list, and the pages and rows it
     * listed that are gone.
     */
    public static LayerDelta delta(PagedKvCache cache, int layer, byte[] previousTail) {
        Map<Long, Integer> pagesBefore = new HashMap<>();
        java.util.Set<Long> rowsBefore = new java.util.HashSet<>();
        if (previousTail != null) {
            LayerParts.Manifest m = manifest(previousTail);
            m.pages().forEach(k -> pagesBefore.put(k.id(), k.tokens()));
            rowsBefore.addAll(m.rows());
        }
        PagedLayer l = cache.layer(layer);
        Map<Long, byte[]> pages = new LinkedHashMap<>();
        for (PageKey k : LayerParts.pageKeys(l)) {
            Integer stored = pagesBefore.remove(k.id());
            if (stored == null || stored != k.tokens()) {
                pages.put(k.id(), LayerParts.pageBlob(l, k.id()));
            }
        }
        Map<Long, byte[]> rows = new LinkedHashMap<>();
        for (long id : LayerParts.rowIds(l)) {
            if (!rowsBefore.remove(id)) {
                rows.put(id, LayerParts.rowBlob(l, id));
            }
        }
        List<Long> removedPages = new ArrayList<>(pagesBefore.keySet());
        removedPages.sort(null);
        List<Long> removedRows = new ArrayList<>(rowsBefore);
        removedRows.sort(null);
        return new LayerDelta(tail(cache, layer), pages, rows, removedPages, removedRows);
    }

    /** Bytes of all parts of the cache: every tail and page blob (what a store holds for it). */
    public static long bytes(PagedKvCache cache) {
        long b = 0;
        for (int l = 0; l < cache.shape().layers(); l++) {
            b += delta(cache, l, null).bytes();
        }
        return b;
    }

    /**
     * Rebuilds a cache from the tails of its layers (in layer order) and its page blobs.
     *
     * @throws IOException a part in another format or version, parts that do not fit together, a missing part
     */
    public static PagedKvCache restore(CacheShape shape, List<byte[]> tails, PartReader parts) throws Exception {
        if (tails.size() != shape.layers()) {
            throw new IOException(tails.size() + " layer tails for a cache of " + shape.layers() + " layers");
        }
        KvCacheConfig config = null;
        PagedLayer[] layers = new PagedLayer[shape.layers()];
        for (int l = 0; l < layers.length; l++) {
            DataInputStream in = open(tails.get(l));
            int layer = in.readInt();
            PagedKvCacheFormat.Header h = PagedKvCacheFormat.readHeader(in, true, "KV layer tail");
            if (layer != l || !h.shape().equals(shape) || (config != null && !config.equals(h.config()))) {
                throw new IOException("tail of layer " + layer + " (" + h.shape() + ", " + h.config()
                        + ") stored as layer " + l + " of a cache of " + shape
                        + (config == null ? "" : ", " + config));
            }
            config = h.config();
            Map<Long, byte[]> pageBlobs = new HashMap<>();
            Map<Long, byte[]> rowBlobs = new HashMap<>();
            LayerParts.Manifest m = manifest(tails.get(l));
            for (PageKey k : m.pages()) {
                pageBlobs.put(k.id(), parts.read(l, Part.PAGE, k.id()));
            }
            for (long id : m.rows()) {
                rowBlobs.put(id, parts.read(l, Part.ROW, id));
            }
            PageGeometry geo = new PageGeometry(shape, config.pageTokens(), config.groupSize());
            layers[l] = LayerParts.readTail(in, geo, config.fpWindow(), new LayerParts.Blobs() {
                @Override
                public byte[] page(long id) {
                    return pageBlobs.get(id);
                }

                @Override
                public byte[] row(long id) {
                    return rowBlobs.get(id);
                }
            });
            if (in.available() != 0) {
                throw new IOException("tail of layer " + l + " has " + in.available() + " bytes after its end");
            }
        }
        return PagedKvCache.of(shape, config, layers);
    }

    /** Opens a tail and checks its magic and version; the stream is at the layer index. */
    private static DataInputStream open(byte[] tail) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(tail));
        int magic = in.readInt();
        if (magic != TAIL_MAGIC) {
            throw new IOException(String.format("not a KV layer tail: magic 0x%08x, expected 0x%08x", magic,
                    TAIL_MAGIC));
        }
        int version = in.readUnsignedShort();
        if (version != TAIL_VERSION) {
            throw new IOException("unsupported KV layer tail version " + version + " (this build reads version "
                    + TAIL_VERSION + ")");
        }
        return in;
    }
}

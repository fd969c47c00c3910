package dev.vlflow.kv.paged;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInput;
import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One {@link PagedLayer} in separately stored parts: one blob per quantized page, fixed by the page's
 * (id, token count); one blob per fp32 row (window and staging tokens), fixed by the row's id; and the layer's
 * small tail (page table with live bits, open pages, which rows each fp32 buffer holds), which changes on every
 * mutation. A page's codes never change once written: a page grows a key group at a time (its count changes, so
 * it is a new blob) and eviction or re-precisioning only clears live bits, which live in the tail. A row's data
 * never changes while it stays fp32 (moving between window and staging keeps its id; a requantized token gets new
 * data and a new id). The cache-level framing and the format drawing are in {@code PagedKvCacheParts}.
 *
 * <pre>
 * page blob   magic 'V' 'L' 'K' 'P' | version u16 = 1 | id i64
 *             bits u8 | count i32 | positions i32×count | keyCodes | keyParams i32 | valueCodes | valueParams i32
 * row blob    version u16 = 1 | id i64 | keys f32×(kvHeads·headDim) | values f32×(kvHeads·headDim)
 * tail body   nextId i64                    next id of a page or row (one id space per layer)
 *             pageCount i32 | (id i64 | count i32 | live bitmap ⌈count/8⌉ bytes) ×pageCount
 *             openPage i64 ×4               id of the page being filled at 16, 8, 4, 2 bits, or -1
 *             buffers ×5                    staging 16, 8, 4, 2 bits, then the window, in slot order:
 *                 count i32 | (id i64 | position i32 | targetBits u8) ×count
 * </pre>
 */
public final class LayerParts {

    public static final int PAGE_MAGIC = 0x564c4b50; // "VLKP"
    public static final int PAGE_VERSION = 1;
    public static final int ROW_VERSION = 1;

    /** What identifies a stored page blob: equal keys, equal bytes. */
    public record PageKey(long id, int tokens) {
    }

    /** What a tail says is stored: its pages and the ids of its fp32 rows. */
    public record Manifest(List<PageKey> pages, List<Long> rows) {
    }

    /** The blobs a tail refers to. */
    public interface Blobs {
        /** The page blob of {@code id}, or null. */
        byte[] page(long id);

        /** The row blob of {@code id}, or null. */
        byte[] row(long id);
    }

    private LayerParts() {
    }

    /** The page table of a layer, in order. */
    public static List<PageKey> pageKeys(PagedLayer layer) {
        List<PageKey> keys = new ArrayList<>();
        for (Page p : layer.pageTable()) {
            keys.add(new PageKey(p.id(), p.count()));
        }
        return keys;
    }

    /** The blob of page {@code id} of the layer's table. */
    public static byte[] pageBlob(PagedLayer layer, long id) {
        for (Page p : layer.pageTable()) {
            if (p.id() == id) {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                try (DataOutputStream out = new DataOutputStream(bytes)) {
                    out.writeInt(PAGE_MAGIC);
                    out.writeShort(PAGE_VERSION);
                    out.writeLong(id);
                    p.writeContent(out);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                return bytes.toByteArray();
            }
        }
        throw new IllegalArgumentException("no page " + id + " in the layer's page table");
    }

    /** The ids of the layer's fp32 rows, in slot order. */
    public static List<Long> rowIds(PagedLayer layer) {
        List<Long> ids = new ArrayList<>();
        for (TokenRows r : layer.rowsInOrder()) {
            for (int i = 0; i < r.count(); i++) {
                ids.add(r.id(i));
            }
        }
        return ids;
    }

    /** The blob of fp32 row {@code id} of the layer. */
    public static byte[] rowBlob(PagedLayer layer, long id) {
        for (TokenRows r : layer.rowsInOrder()) {
            for (int i = 0; i < r.count(); i++) {
                if (r.id(i) == id) {
                    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                    try (DataOutputStream out = new DataOutputStream(bytes)) {
                        out.writeShort(ROW_VERSION);
                        out.writeLong(id);
                        r.writeRow(i, out);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    return bytes.toByteArray();
                }
            }
        }
        throw new IllegalArgumentException("no fp32 row " + id + " in the layer");
    }

    /** Writes the tail body of a layer. */
    public static void writeTail(PagedLayer layer, DataOutput out) throws IOException {
        out.writeLong(layer.nextPageId());
        List<Page> pages = layer.pageTable();
        out.writeInt(pages.size());
        for (Page p : pages) {
            out.writeLong(p.id());
            out.writeInt(p.count());
            for (int i = 0; i < p.count(); i += 8) {
                int b = 0;
                for (int j = 0; j < 8 && i + j < p.count(); j++) {
                    b |= p.live(i + j) ? 1 << j : 0;
                }
                out.writeByte(b);
            }
        }
        for (Page p : layer.openPages()) {
            out.writeLong(p == null ? -1 : p.id());
        }
        for (TokenRows r : layer.rowsInOrder()) {
            out.writeInt(r.count());
            for (int i = 0; i < r.count(); i++) {
                out.writeLong(r.id(i));
                out.writeInt(r.position(i));
                out.writeByte(r.bits(i));
            }
        }
    }

    /** Reads what a tail body says is stored; consumes it. */
    public static Manifest readManifest(DataInput in) throws IOException {
        in.readLong();
        List<PageKey> keys = new ArrayList<>();
        for (Entry e : readTable(in)) {
            keys.add(new PageKey(e.id, e.live.length));
        }
        for (int c = 0; c < 4; c++) {
            in.readLong();
        }
        List<Long> rows = new ArrayList<>();
        for (RowEntry[] buffer : readBuffers(in)) {
            for (RowEntry r : buffer) {
                rows.add(r.id);
            }
        }
        return new Manifest(keys, rows);
    }

    private record RowEntry(long id, int position, int bits) {
    }

    private static List<RowEntry[]> readBuffers(DataInput in) throws IOException {
        List<RowEntry[]> buffers = new ArrayList<>();
        for (int b = 0; b < 5; b++) {
            int n = in.readInt();
            if (n < 0) {
                throw new IOException("negative token count " + n);
            }
            RowEntry[] rows = new RowEntry[n];
            for (int i = 0; i < n; i++) {
                rows[i] = new RowEntry(in.readLong(), in.readInt(), in.readUnsignedByte());
            }
            buffers.add(rows);
        }
        return buffers;
    }

    /**
     * Rebuilds a layer from its tail body and its page blobs.
     *
     * @param blobs the blobs stored for page and row ids (null when missing)
     */
    public static PagedLayer readTail(DataInput in, PageGeometry geo, int fpWindow, Blobs blobs)
            throws IOException {
        long nextPageId = in.readLong();
        List<Entry> table = readTable(in);
        ArrayList<Page> pages = new ArrayList<>(table.size());
        Map<Long, Page> byId = new HashMap<>();
        for (Entry e : table) {
            if (e.id < 0 || e.id >= nextPageId || byId.containsKey(e.id)) {
                throw new IOException("page id " + e.id + " repeated or not below the next id " + nextPageId);
            }
            byte[] blob = blobs.page(e.id);
            if (blob == null) {
                throw new IOException("page " + e.id + " of the page table is missing");
            }
            Page p = readBlob(blob, geo, e.id);
            if (p.count() != e.live.length) {
                throw new IOException("page " + e.id + " holds " + p.count() + " tokens, the page table says "
                        + e.live.length);
            }
            p.setLive(e.live);
            pages.add(p);
            byId.put(e.id, p);
        }
        Page[] open = new Page[4];
        for (int c = 0; c < 4; c++) {
            long id = in.readLong();
            if (id != -1 && !byId.containsKey(id)) {
                throw new IOException("open page " + id + " is not in the page table");
            }
            open[c] = id == -1 ? null : byId.get(id);
        }
        List<RowEntry[]> buffers = readBuffers(in);
        TokenRows[] rows = new TokenRows[5];
        java.util.Set<Long> seen = new java.util.HashSet<>();
        for (int b = 0; b < 5; b++) {
            rows[b] = new TokenRows(geo.shape().tokenWidth());
            for (RowEntry r : buffers.get(b)) {
                if (r.id < 0 || r.id >= nextPageId || !seen.add(r.id) || byId.containsKey(r.id)) {
                    throw new IOException("row id " + r.id + " repeated or not below the next id " + nextPageId);
                }
                byte[] blob = blobs.row(r.id);
                if (blob == null) {
                    throw new IOException("fp32 row " + r.id + " of the tail is missing");
                }
                DataInputStream row = new DataInputStream(new ByteArrayInputStream(blob));
                int version = row.readUnsignedShort();
                if (version != ROW_VERSION) {
                    throw new IOException("unsupported KV row blob version " + version + " (this build reads version "
                            + ROW_VERSION + ")");
                }
                long written = row.readLong();
                if (written != r.id) {
                    throw new IOException("blob of row " + written + " stored for row " + r.id);
                }
                rows[b].appendRow(row, r.position, r.bits, r.id);
                if (row.available() != 0) {
                    throw new IOException("row blob " + r.id + " has " + row.available() + " bytes after its data");
                }
            }
        }
        TokenRows[] staging = {rows[0], rows[1], rows[2], rows[3]};
        return new PagedLayer(geo, fpWindow, pages, open, staging, rows[4], new AtomicLong(nextPageId));
    }

    private static Page readBlob(byte[] blob, PageGeometry geo, long id) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(blob));
        int magic = in.readInt();
        if (magic != PAGE_MAGIC) {
            throw new IOException(String.format("not a KV page blob: magic 0x%08x, expected 0x%08x", magic,
                    PAGE_MAGIC));
        }
        int version = in.readUnsignedShort();
        if (version != PAGE_VERSION) {
            throw new IOException("unsupported KV page blob version " + version + " (this build reads version "
                    + PAGE_VERSION + ")");
        }
        long written = in.readLong();
        if (written != id) {
            throw new IOException("blob of page " + written + " stored for page " + id);
        }
        Page p = Page.readContent(in, geo, id);
        if (in.available() != 0) {
            throw new IOException("page blob " + id + " has " + in.available() + " bytes after its content");
        }
        return p;
    }

    private record Entry(long id, boolean[] live) {
    }

    private static List<Entry> readTable(DataInput in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            throw new IOException("negative page count " + n);
        }
        List<Entry> table = new ArrayList<>(n);
        for (int k = 0; k < n; k++) {
            long id = in.readLong();
            int count = in.readInt();
            if (count < 0) {
                throw new IOException("negative token count " + count + " of page " + id);
            }
            boolean[] live = new boolean[count];
            for (int i = 0; i < count; i += 8) {
                int b = in.readUnsignedByte();
                for (int j = 0; j < 8 && i + j < count; j++) {
                    live[i + j] = (b & (1 << j)) != 0;
                }
            }
            table.add(new Entry(id, live));
        }
        return table;
    }
}

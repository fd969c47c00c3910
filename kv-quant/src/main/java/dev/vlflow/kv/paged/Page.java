package dev.vlflow.kv.paged;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;

/**
 * A page: up to {@code pageTokens} quantized tokens of one layer, all at one precision, filled a whole key group
 * ({@code G} tokens) at a time. Tokens keep their original positions; an evicted or re-precisioned token is marked
 * dead (its bits stay until the page is freed). Copy on write: a {@link #shared} page is copied before a change.
 *
 * <pre>
 * tile (group q, head h) = the G tokens of group q for KV head h, E = G·d elements (see {@link TileCodec})
 *
 * positions   int[P]                                  original position per token
 * live        boolean[P]                              false once evicted or moved
 * keyCodes    byte[P/G][H][E·b/8]                     tile elements [c][t], planes over 32-bit LE words
 * keyParams   int [P/G][H][d]                         fp16 zero | fp16 scale << 16 per channel (none at 16 bits)
 * valueCodes  byte[P/G][H][E·b/8]                     tile elements [t][c], planes over 32-bit LE words
 * valueParams int [P/G][H][G][⌈d/cg⌉]                 fp16 zero | fp16 scale << 16 per token and channel group
 * </pre>
 */
public final class Page {

    private final PageGeometry geo;
    private final long id;
    private final int bits;
    private final int[] positions;
    private final boolean[] live;
    private final byte[] keyCodes;
    private final int[] keyParams;
    private final byte[] valueCodes;
    private final int[] valueParams;
    private int count;
    private int liveCount;
    boolean shared;

    private Page(PageGeometry geo, long id, int bits, int[] positions, boolean[] live, byte[] keyCodes, int[] keyParams,
                 byte[] valueCodes, int[] valueParams, int count, int liveCount) {
        this.geo = geo;
        this.id = id;
        this.bits = bits;
        this.positions = positions;
        this.live = live;
        this.keyCodes = keyCodes;
        this.keyParams = keyParams;
        this.valueCodes = valueCodes;
        this.valueParams = valueParams;
        this.count = count;
        this.liveCount = liveCount;
    }

    /** An empty page at {@code bits} with id 0. */
    public static Page empty(PageGeometry geo, int bits) {
        return empty(geo, bits, 0);
    }

    /**
     * An empty page at {@code bits}. {@code id} names the page within its layer (and the layer's forks) for as long
     * as it lives; a copy made on write keeps it, so (id, count) determines the page's codes (see
     * {@link LayerParts}).
     */
    public static Page empty(PageGeometry geo, int bits, long id) {
        if (!TileCodec.validBits(bits)) {
            throw new IllegalArgumentException("precision must be 16, 8, 4 or 2 bits, got " + bits);
        }
        int p = geo.pageTokens();
        int tiles = geo.groups() * geo.shape().kvHeads();
        return new Page(geo, id, bits, new int[p], new boolean[p], new byte[tiles * geo.tileBytes(bits)],
                new int[tiles * geo.keyParamsPerTile(bits)], new byte[tiles * geo.tileBytes(bits)],
                new int[tiles * geo.valueParamsPerTile(bits)], 0, 0);
    }

    public PageGeometry geometry() {
        return geo;
    }

    public int bits() {
        return bits;
    }

    /** The page's id in its layer; stable across copies on write. */
    public long id() {
        return id;
    }

    /** Tokens written (live or dead), a multiple of the group size. */
    public int count() {
        return count;
    }

    public int liveCount() {
        return liveCount;
    }

    public boolean full() {
        return count == geo.pageTokens();
    }

    public int position(int i) {
        return positions[i];
    }

    public boolean live(int i) {
        return live[i];
    }

    /** Codes of all key tiles; read only. */
    public byte[] keyCodes() {
        return keyCodes;
    }

    /** Parameters of all key tiles; read only. */
    public int[] keyParams() {
        return keyParams;
    }

    /** Codes of all value tiles; read only. */
    public byte[] valueCodes() {
        return valueCodes;
    }

    /** Parameters of all value tiles; read only. */
    public int[] valueParams() {
        return valueParams;
    }

    public int codeOffset(int group, int head) {
        return (group * geo.shape().kvHeads() + head) * geo.tileBytes(bits);
    }

    public int keyParamOffset(int group, int head) {
        return (group * geo.shape().kvHeads() + head) * geo.keyParamsPerTile(bits);
    }

    public int valueParamOffset(int group, int head) {
        return (group * geo.shape().kvHeads() + head) * geo.valueParamsPerTile(bits);
    }

    /** Quantizes the first G tokens of {@code rows} into the next group of this page. */
    void appendGroup(TokenRows rows) {
        int g = geo.groupSize();
        if (full() || rows.count() < g) {
            throw new IllegalStateException("cannot append a group of " + g + " tokens from " + rows.count()
                    + " to a page holding " + count + " of " + geo.pageTokens());
        }
        int group = count / g;
        int heads = geo.shape().kvHeads();
        int d = geo.shape().headDim();
        int w = geo.shape().tokenWidth();
        for (int h = 0; h < heads; h++) {
            TileCodec.encodeKeys(rows.keys(), h * d, w, g, d, bits, keyCodes, codeOffset(group, h), keyParams,
                    keyParamOffset(group, h));
            TileCodec.encodeValues(rows.values(), h * d, w, g, d, geo.channelGroup(), bits, valueCodes,
                    codeOffset(group, h), valueParams, valueParamOffset(group, h));
        }
        for (int t = 0; t < g; t++) {
            positions[count + t] = rows.position(t);
            live[count + t] = true;
        }
        count += g;
        liveCount += g;
    }

    /** Marks token {@code i} dead. */
    void kill(int i) {
        if (live[i]) {
            live[i] = false;
            liveCount--;
        }
    }

    /**
     * Dequantized keys and values of token {@code i}.
     *
     * @param keys   [kvHeads, headDim] receives the keys
     * @param values [kvHeads, headDim] receives the values
     */
    public void dequantize(int i, float[] keys, float[] values) {
        int g = geo.groupSize();
        int d = geo.shape().headDim();
        int group = i / g;
        int t = i % g;
        float[] tile = new float[geo.tileElements()];
        for (int h = 0; h < geo.shape().kvHeads(); h++) {
            TileCodec.decodeKeys(bits, keyCodes, codeOffset(group, h), keyParams, keyParamOffset(group, h), g, d,
                    tile);
            for (int c = 0; c < d; c++) {
                keys[h * d + c] = tile[c * g + t];
            }
            TileCodec.decodeValues(bits, valueCodes, codeOffset(group, h), valueParams, valueParamOffset(group, h),
                    g, d, geo.channelGroup(), tile);
            System.arraycopy(tile, t * d, values, h * d, d);
        }
    }

    Page copy() {
        return new Page(geo, id, bits, positions.clone(), live.clone(), keyCodes.clone(), keyParams.clone(),
                valueCodes.clone(), valueParams.clone(), count, liveCount);
    }

    /** Bytes of the written groups: codes, fp16 parameters, positions and the live bitmap. */
    public long bytes() {
        return count / geo.groupSize() * geo.groupBytes(bits) + (long) count * Integer.BYTES + (count + 7) / 8;
    }

    /**
     * {@code bits u8 | count i32 | positions i32×count | live bitmap ⌈count/8⌉ bytes | keyCodes | keyParams i32 |
     * valueCodes | valueParams i32}, each array cut to the written groups.
     */
    void write(DataOutput out) throws IOException {
        write(out, true);
    }

    static Page read(DataInput in, PageGeometry geo, long id) throws IOException {
        return read(in, geo, id, true);
    }

    /**
     * The page's content without its live bits: {@code bits u8 | count i32 | positions i32×count | keyCodes |
     * keyParams i32 | valueCodes | valueParams i32}, each array cut to the written groups. Fixed by (id, count).
     */
    void writeContent(DataOutput out) throws IOException {
        write(out, false);
    }

    /** Reads {@link #writeContent}'s bytes; every token live until {@link #setLive}. */
    static Page readContent(DataInput in, PageGeometry geo, long id) throws IOException {
        return read(in, geo, id, false);
    }

    /** Both formats: {@link #write} with the live bitmap, {@link #writeContent} without. */
    private void write(DataOutput out, boolean liveBits) throws IOException {
        out.writeByte(bits);
        out.writeInt(count);
        for (int i = 0; i < count; i++) {
            out.writeInt(positions[i]);
        }
        if (liveBits) {
            for (int i = 0; i < count; i += 8) {
                int b = 0;
                for (int j = 0; j < 8 && i + j < count; j++) {
                    b |= live[i + j] ? 1 << j : 0;
                }
                out.writeByte(b);
            }
        }
        int tiles = count / geo.groupSize() * geo.shape().kvHeads();
        out.write(keyCodes, 0, tiles * geo.tileBytes(bits));
        writeInts(out, keyParams, tiles * geo.keyParamsPerTile(bits));
        out.write(valueCodes, 0, tiles * geo.tileBytes(bits));
        writeInts(out, valueParams, tiles * geo.valueParamsPerTile(bits));
    }

    /** Reads {@link #write}'s bytes ({@code liveBits}) or {@link #writeContent}'s (all tokens live). */
    private static Page read(DataInput in, PageGeometry geo, long id, boolean liveBits) throws IOException {
        int bits = in.readUnsignedByte();
        if (!TileCodec.validBits(bits)) {
            throw new IOException("invalid page precision " + bits + " bits");
        }
        int count = in.readInt();
        if (count < 0 || count > geo.pageTokens() || count % geo.groupSize() != 0) {
            throw new IOException("invalid page token count " + count);
        }
        Page page = empty(geo, bits, id);
        for (int i = 0; i < count; i++) {
            page.positions[i] = in.readInt();
        }
        int liveCount = 0;
        if (liveBits) {
            for (int i = 0; i < count; i += 8) {
                int b = in.readUnsignedByte();
                for (int j = 0; j < 8 && i + j < count; j++) {
                    page.live[i + j] = (b & (1 << j)) != 0;
                    liveCount += page.live[i + j] ? 1 : 0;
                }
            }
        } else {
            Arrays.fill(page.live, 0, count, true);
            liveCount = count;
        }
        int tiles = count / geo.groupSize() * geo.shape().kvHeads();
        in.readFully(page.keyCodes, 0, tiles * geo.tileBytes(bits));
        readInts(in, page.keyParams, tiles * geo.keyParamsPerTile(bits));
        in.readFully(page.valueCodes, 0, tiles * geo.tileBytes(bits));
        readInts(in, page.valueParams, tiles * geo.valueParamsPerTile(bits));
        page.count = count;
        page.liveCount = liveCount;
        return page;
    }

    /** Sets the live bits of the written tokens ({@code live[i]} for token i). */
    void setLive(boolean[] alive) {
        if (alive.length != count) {
            throw new IllegalArgumentException("live bits for " + alive.length + " tokens, page holds " + count);
        }
        liveCount = 0;
        for (int i = 0; i < count; i++) {
            live[i] = alive[i];
            liveCount += alive[i] ? 1 : 0;
        }
    }

    private static void writeInts(DataOutput out, int[] a, int n) throws IOException {
        for (int i = 0; i < n; i++) {
            out.writeInt(a[i]);
        }
    }

    private static void readInts(DataInput in, int[] a, int n) throws IOException {
        for (int i = 0; i < n; i++) {
            a[i] = in.readInt();
        }
    }

    @Override
    public String toString() {
        return "Page[" + id + ", " + bits + " bits, " + liveCount + " live of " + count + "]";
    }

    /** Positions of the written tokens (live or dead), for tests and diagnostics. */
    public int[] positions() {
        return Arrays.copyOf(positions, count);
    }
}

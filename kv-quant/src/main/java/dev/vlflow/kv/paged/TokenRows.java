package dev.vlflow.kv.paged;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;

/**
 * Tokens held in full precision (fp32): the recent window of a layer and the staging buffers where tokens wait
 * until a whole key group of one precision is complete. Each token keeps its original position and the precision
 * it will be stored at once it leaves the window. Copy on write: {@link #shared} buffers are copied before a change.
 */
public final class TokenRows {

    private final int width; // kvHeads * headDim
    private float[] keys;    // [capacity, kvHeads, headDim]
    private float[] values;  // [capacity, kvHeads, headDim]
    private int[] positions; // [capacity]
    private byte[] bits;     // [capacity] target precision
    private long[] ids;      // [capacity] row id: names the row's fp32 data, stable while it stays in fp32
    private int count;
    boolean shared;

    public TokenRows(int width) {
        this(width, new float[0], new float[0], new int[0], new byte[0], new long[0], 0);
    }

    private TokenRows(int width, float[] keys, float[] values, int[] positions, byte[] bits, long[] ids,
                      int count) {
        this.ids = ids;
        this.width = width;
        this.keys = keys;
        this.values = values;
        this.positions = positions;
        this.bits = bits;
        this.count = count;
    }

    public int count() {
        return count;
    }

    public int width() {
        return width;
    }

    /** Keys of the buffer, {@code [capacity, kvHeads, headDim]}; rows {@code [0, count)} are valid. Read only. */
    public float[] keys() {
        return keys;
    }

    /** Values of the buffer, {@code [capacity, kvHeads, headDim]}; rows {@code [0, count)} are valid. Read only. */
    public float[] values() {
        return values;
    }

    public int position(int i) {
        return positions[i];
    }

    public int bits(int i) {
        return bits[i];
    }

    /**
     * Id of row {@code i}'s data, given by the layer when the data was made (appended, or dequantized for
     * requantization) and kept when the row moves between buffers; unique within the layer and its forks.
     */
    public long id(int i) {
        return ids[i];
    }

    void setBits(int i, int b) {
        bits[i] = (byte) b;
    }

    /** Appends token {@code src} of row-major arrays (rows of {@code width} floats) as row {@code id}. */
    void append(float[] k, float[] v, int src, int position, int targetBits, long id) {
        ensure(count + 1);
        System.arraycopy(k, src * width, keys, count * width, width);
        System.arraycopy(v, src * width, values, count * width, width);
        positions[count] = position;
        bits[count] = (byte) targetBits;
        ids[count] = id;
        count++;
    }

    /** Appends token {@code i} of another buffer. */
    void appendFrom(TokenRows other, int i) {
        append(other.keys, other.values, i, other.positions[i], other.bits[i], other.ids[i]);
    }

    /** Removes the first {@code n} tokens. */
    void removeFirst(int n) {
        removeRange(0, n);
    }

    /** Removes tokens {@code [from, to)}. */
    void removeRange(int from, int to) {
        int tail = count - to;
        System.arraycopy(keys, to * width, keys, from * width, tail * width);
        System.arraycopy(values, to * width, values, from * width, tail * width);
        System.arraycopy(positions, to, positions, from, tail);
        System.arraycopy(bits, to, bits, from, tail);
        System.arraycopy(ids, to, ids, from, tail);
        count -= to - from;
    }

    TokenRows copy() {
        return new TokenRows(width, Arrays.copyOf(keys, count * width), Arrays.copyOf(values, count * width),
                Arrays.copyOf(positions, count), Arrays.copyOf(bits, count), Arrays.copyOf(ids, count), count);
    }

    /** Bytes held: fp32 keys and values, a position and a precision byte per token. */
    public long bytes() {
        return (long) count * (2L * width * Float.BYTES + Integer.BYTES + 1);
    }

    private void ensure(int needed) {
        if (needed > positions.length) {
            int capacity = Math.max(needed, Math.max(8, positions.length * 2));
            keys = Arrays.copyOf(keys, capacity * width);
            values = Arrays.copyOf(values, capacity * width);
            positions = Arrays.copyOf(positions, capacity);
            bits = Arrays.copyOf(bits, capacity);
            ids = Arrays.copyOf(ids, capacity);
        }
    }

    /**
     * {@code count i32 | positions i32×count | bits u8×count | keys f32×count·width | values f32×count·width}.
     */
    void write(DataOutput out) throws IOException {
        out.writeInt(count);
        for (int i = 0; i < count; i++) {
            out.writeInt(positions[i]);
        }
        out.write(bits, 0, count);
        for (int i = 0; i < count * width; i++) {
            out.writeFloat(keys[i]);
        }
        for (int i = 0; i < count * width; i++) {
            out.writeFloat(values[i]);
        }
    }

    static TokenRows read(DataInput in, int width) throws IOException {
        int count = in.readInt();
        if (count < 0) {
            throw new IOException("negative token count " + count);
        }
        int[] positions = new int[count];
        for (int i = 0; i < count; i++) {
            positions[i] = in.readInt();
        }
        byte[] bits = new byte[count];
        in.readFully(bits);
        for (byte b : bits) {
            if (!TileCodec.validBits(b)) {
                throw new IOException("invalid target precision " + b + " bits");
            }
        }
        float[] keys = new float[count * width];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = in.readFloat();
        }
        float[] values = new float[count * width];
        for (int i = 0; i < values.length; i++) {
            values[i] = in.readFloat();
        }
        long[] ids = new long[count]; // the format predates row ids: the layer numbers them
        return new TokenRows(width, keys, values, positions, bits, ids, count);
    }

    /** Gives every row a new id from {@code next} (rows read from a format without ids). */
    void numberRows(java.util.concurrent.atomic.AtomicLong next) {
        for (int i = 0; i < count; i++) {
            ids[i] = next.getAndIncrement();
        }
    }

    /**
     * One row's data: {@code keys f32×width | values f32×width}.
     */
    void writeRow(int i, DataOutput out) throws IOException {
        for (int c = 0; c < width; c++) {
            out.writeFloat(keys[i * width + c]);
        }
        for (int c = 0; c < width; c++) {
            out.writeFloat(values[i * width + c]);
        }
    }

    /** Appends a row whose data {@link #writeRow} wrote. */
    void appendRow(DataInput in, int position, int targetBits, long id) throws IOException {
        if (!TileCodec.validBits(targetBits)) {
            throw new IOException("invalid target precision " + targetBits + " bits");
        }
        float[] k = new float[width];
        float[] v = new float[width];
        for (int c = 0; c < width; c++) {
            k[c] = in.readFloat();
        }
        for (int c = 0; c < width; c++) {
            v[c] = in.readFloat();
        }
        append(k, v, 0, position, targetBits, id);
    }
}

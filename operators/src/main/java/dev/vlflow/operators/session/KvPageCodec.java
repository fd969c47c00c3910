package dev.vlflow.operators.session;

import dev.vlflow.kv.CacheShape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Versioned bytes of one KV page: up to {@code pageTokens} consecutive slots of one layer. One page is one
 * {@code MapState} value, so a value stays small (tiny model, 64 tokens: 33 KiB; a 7B model's layer, 64 tokens:
 * 256 KiB) whatever the length of the stream.
 *
 * <pre>
 * format 1 (float32, little-endian):
 *   offset 0   u8  format = 1
 *          1   u8  encoding = 0 (float32)
 *          2   u16 kvHeads
 *          4   u16 headDim
 *          6   u16 reserved = 0
 *          8   i32 tokens
 *         12   i32 positions[tokens]
 *              f32 keys[tokens, kvHeads, headDim]      (after RoPE)
 *              f32 values[tokens, kvHeads, headDim]
 * </pre>
 */
public final class KvPageCodec {

    public static final int FORMAT = 1;
    static final int FLOAT32 = 0;
    static final int HEADER = 12;

    private KvPageCodec() {
    }

    /** Bytes of one page of {@code tokens} tokens. */
    public static long pageBytes(CacheShape shape, int tokens) {
        return HEADER + (long) tokens * Integer.BYTES + 2L * tokens * shape.tokenWidth() * Float.BYTES;
    }

    /**
     * Encodes slots {@code [from, from + count)} of one layer.
     *
     * @param positions [size] positions of the layer
     * @param keys      [size, kvHeads, headDim]
     * @param values    [size, kvHeads, headDim]
     */
    public static byte[] encode(CacheShape shape, int[] positions, float[] keys, float[] values, int from,
                                int count) {
        int w = shape.tokenWidth();
        if (from < 0 || count < 0 || from + count > positions.length || keys.length < (from + count) * w
                || values.length < (from + count) * w) {
            throw new IllegalArgumentException("slots " + from + ".." + (from + count) + " outside a layer of "
                    + positions.length);
        }
        if (shape.kvHeads() > 0xFFFF || shape.headDim() > 0xFFFF) {
            throw new IllegalArgumentException("shape does not fit the page header: " + shape);
        }
        ByteBuffer b = ByteBuffer.allocate(HEADER + count * Integer.BYTES + 2 * count * w * Float.BYTES)
                .order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) FORMAT).put((byte) FLOAT32).putShort((short) shape.kvHeads()).putShort((short) shape.headDim())
                .putShort((short) 0).putInt(count);
        b.asIntBuffer().put(positions, from, count);
        b.position(b.position() + count * Integer.BYTES);
        b.asFloatBuffer().put(keys, from * w, count * w);
        b.position(b.position() + count * w * Float.BYTES);
        b.asFloatBuffer().put(values, from * w, count * w);
        return b.array();
    }

    /** Decodes a page written for a cache of {@code shape}. */
    public static KvPage decode(byte[] bytes, CacheShape shape) {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.length < HEADER) {
            throw new IllegalArgumentException("KV page of " + bytes.length + " bytes is shorter than its header");
        }
        int format = Byte.toUnsignedInt(b.get());
        int encoding = Byte.toUnsignedInt(b.get());
        if (format != FORMAT || encoding != FLOAT32) {
            throw new IllegalArgumentException("KV page in format " + format + "/encoding " + encoding
                    + "; this code reads format " + FORMAT + " float32");
        }
        int kvHeads = Short.toUnsignedInt(b.getShort());
        int headDim = Short.toUnsignedInt(b.getShort());
        b.getShort();
        int tokens = b.getInt();
        if (kvHeads != shape.kvHeads() || headDim != shape.headDim()) {
            throw new IllegalArgumentException("KV page of " + kvHeads + "x" + headDim + " does not fit " + shape);
        }
        int w = shape.tokenWidth();
        long expected = HEADER + (long) tokens * Integer.BYTES + 2L * tokens * w * Float.BYTES;
        if (tokens < 0 || bytes.length != expected) {
            throw new IllegalArgumentException("KV page of " + tokens + " tokens holds " + bytes.length
                    + " bytes, expected " + expected);
        }
        int[] positions = new int[tokens];
        float[] keys = new float[tokens * w];
        float[] values = new float[tokens * w];
        b.asIntBuffer().get(positions);
        b.position(b.position() + tokens * Integer.BYTES);
        b.asFloatBuffer().get(keys);
        b.position(b.position() + tokens * w * Float.BYTES);
        b.asFloatBuffer().get(values);
        return new KvPage(positions, keys, values);
    }
}

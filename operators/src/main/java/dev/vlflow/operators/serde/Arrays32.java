package dev.vlflow.operators.serde;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/** Bulk float/long array I/O for serializers: little-endian, through a 64 KiB buffer rather than value by value. */
public final class Arrays32 {

    private static final int CHUNK = 1 << 16;

    private Arrays32() {
    }

    /** Writes {@code i32 length | f32[length]}. */
    public static void writeFloats(float[] values, DataOutputView out) throws IOException {
        out.writeInt(values.length);
        ByteBuffer buffer = ByteBuffer.allocate(Math.min(CHUNK, values.length * Float.BYTES))
                .order(ByteOrder.LITTLE_ENDIAN);
        int perChunk = Math.max(1, buffer.capacity() / Float.BYTES);
        for (int from = 0; from < values.length; from += perChunk) {
            int n = Math.min(perChunk, values.length - from);
            buffer.clear();
            buffer.asFloatBuffer().put(values, from, n);
            out.write(buffer.array(), 0, n * Float.BYTES);
        }
    }

    /** Reads what {@link #writeFloats} wrote. */
    public static float[] readFloats(DataInputView in) throws IOException {
        int length = in.readInt();
        if (length < 0) {
            throw new IOException("negative array length " + length);
        }
        float[] values = new float[length];
        byte[] bytes = new byte[Math.min(CHUNK, length * Float.BYTES)];
        int perChunk = Math.max(1, bytes.length / Float.BYTES);
        for (int from = 0; from < length; from += perChunk) {
            int n = Math.min(perChunk, length - from);
            in.readFully(bytes, 0, n * Float.BYTES);
            ByteBuffer.wrap(bytes, 0, n * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer()
                    .get(values, from, n);
        }
        return values;
    }

    /** Writes {@code i32 length | i64[length]}. */
    public static void writeLongs(long[] values, DataOutputView out) throws IOException {
        out.writeInt(values.length);
        for (long v : values) {
            out.writeLong(v);
        }
    }

    public static long[] readLongs(DataInputView in) throws IOException {
        int length = in.readInt();
        if (length < 0) {
            throw new IOException("negative array length " + length);
        }
        long[] values = new long[length];
        for (int i = 0; i < length; i++) {
            values[i] = in.readLong();
        }
        return values;
    }
}

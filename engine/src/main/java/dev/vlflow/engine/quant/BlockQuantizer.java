package dev.vlflow.engine.quant;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.stream.IntStream;

/**
 * Symmetric block quantization of a row-major weight {@code W [N, K]} into {@link BlockQuantized}: per block,
 * {@code scale = max|w| / (2^(bits-1) - 1)} and {@code q = round(w / scale) + 2^(bits-1)}, so every weight comes back
 * within {@code scale / 2} and the codes never clip. Rows are quantized in parallel.
 */
public final class BlockQuantizer {

    private BlockQuantizer() {
    }

    /** Quantizes {@code weight} (its absolute indices {@code 0 .. N*K-1}, row-major {@code [N, K]}). */
    public static BlockQuantized quantize(FloatBuffer weight, int rows, int columns, int bits, int blockSize) {
        if ((long) rows * columns > weight.capacity()) {
            throw new IllegalArgumentException("weight holds " + weight.capacity() + " floats, shape " + rows + "x"
                    + columns + " needs more");
        }
        int blocks = (columns + blockSize - 1) / blockSize;
        int blockBytes = blockSize * bits / 8;
        ByteBuffer packed = ByteBuffer.allocateDirect(rows * blocks * blockBytes).order(ByteOrder.nativeOrder());
        FloatBuffer scales = ByteBuffer.allocateDirect(4 * rows * blocks).order(ByteOrder.nativeOrder())
                .asFloatBuffer();
        int qmax = (1 << (bits - 1)) - 1;
        int zero = 1 << (bits - 1);
        IntStream.range(0, rows).parallel().forEach(n -> {
            float[] row = new float[blocks * blockSize]; // padded with zeros
            weight.get(n * columns, row, 0, columns);
            byte[] codes = new byte[blocks * blockBytes];
            for (int b = 0; b < blocks; b++) {
                float amax = 0f;
                for (int i = b * blockSize; i < (b + 1) * blockSize; i++) {
                    amax = Math.max(amax, Math.abs(row[i]));
                }
                float scale = amax / qmax;
                float inverse = scale == 0f ? 0f : 1f / scale;
                scales.put(n * blocks + b, scale);
                for (int i = 0; i < blockSize; i++) {
                    int q = Math.max(-qmax - 1, Math.min(qmax, Math.round(row[b * blockSize + i] * inverse))) + zero;
                    int at = b * blockBytes + (bits == 8 ? i : i / 2);
                    codes[at] = (byte) (bits == 8 ? q : (i & 1) == 0 ? q : (codes[at] & 0x0F) | (q << 4));
                }
            }
            packed.put(n * blocks * blockBytes, codes);
        });
        return new BlockQuantized(rows, columns, bits, blockSize, packed, scales);
    }

    /** Quantizes at {@code precision}'s bits and block size. */
    public static BlockQuantized quantize(FloatBuffer weight, int rows, int columns, WeightPrecision precision) {
        if (!precision.quantized()) {
            throw new IllegalArgumentException(precision + " weights are not quantized");
        }
        return quantize(weight, rows, columns, precision.bits(), precision.blockSize());
    }
}

package dev.vlflow.engine.quant;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.util.Objects;

/**
 * A weight {@code W [N, K]} quantized in blocks along K, in {@code com.microsoft MatMulNBits}' layout.
 *
 * <pre>
 * packed [N, blocks, blockSize * bits / 8] uint8   block b of row n holds W[n, b*bs .. b*bs+bs-1];
 *                                                  4 bits: element 2i in the low nibble, 2i+1 in the high nibble
 * scales [N * blocks] float32                      W[n, k] ≈ scales[n*blocks + k/bs] * (q[n, k] - zeroPoint)
 * zeroPoint = 2^(bits-1) (8 or 128), implicit; the last block is padded with the zero point when bs does not divide K
 * </pre>
 *
 * @param rows      N (output features)
 * @param columns   K (input features)
 * @param bits      4 or 8
 * @param blockSize weights per scale along K (a power of two, at least 16)
 * @param packed    direct, native order, capacity {@code rows * blocks() * blockBytes()}
 * @param scales    direct, native order, capacity {@code rows * blocks()}
 */
public record BlockQuantized(int rows, int columns, int bits, int blockSize, ByteBuffer packed, FloatBuffer scales) {
    public BlockQuantized {
        Objects.requireNonNull(packed, "packed");
        Objects.requireNonNull(scales, "scales");
        if (bits != 4 && bits != 8) {
            throw new IllegalArgumentException("bits must be 4 or 8, got " + bits);
        }
        if (blockSize < 16 || Integer.bitCount(blockSize) != 1) {
            throw new IllegalArgumentException("block size must be a power of two >= 16, got " + blockSize);
        }
        if (rows <= 0 || columns <= 0) {
            throw new IllegalArgumentException("shape must be positive, got " + rows + "x" + columns);
        }
        long blocks = (columns + blockSize - 1) / blockSize;
        if (packed.capacity() != rows * blocks * blockSize * bits / 8 || scales.capacity() != rows * blocks) {
            throw new IllegalArgumentException("packed/scales capacities do not match " + rows + "x" + columns);
        }
    }

    /** Blocks per row: {@code ceil(K / blockSize)}. */
    public int blocks() {
        return (columns + blockSize - 1) / blockSize;
    }

    /** Bytes per block. */
    public int blockBytes() {
        return blockSize * bits / 8;
    }

    /** The implicit zero point, {@code 2^(bits-1)}. */
    public int zeroPoint() {
        return 1 << (bits - 1);
    }

    /** Shape of {@link #packed}: {@code [N, blocks, blockBytes]}. */
    public long[] packedShape() {
        return new long[] {rows, blocks(), blockBytes()};
    }

    /** Shape of {@link #scales}: {@code [N * blocks]}. */
    public long[] scalesShape() {
        return new long[] {(long) rows * blocks()};
    }

    /** The stored code of {@code W[n, k]}, in {@code [0, 2^bits)}. */
    public int code(int n, int k) {
        int index = (n * blocks() + k / blockSize) * blockBytes();
        int within = k % blockSize;
        if (bits == 8) {
            return packed.get(index + within) & 0xFF;
        }
        int b = packed.get(index + within / 2) & 0xFF;
        return (within & 1) == 0 ? b & 0x0F : b >>> 4;
    }

    /** The dequantized value of {@code W[n, k]}. */
    public float value(int n, int k) {
        return scales.get(n * blocks() + k / blockSize) * (code(n, k) - zeroPoint());
    }

    /** Bytes held (codes and scales). */
    public long bytes() {
        return packed.capacity() + 4L * scales.capacity();
    }
}

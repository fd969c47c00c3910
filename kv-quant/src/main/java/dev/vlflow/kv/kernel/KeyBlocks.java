package dev.vlflow.kv.kernel;

import dev.vlflow.kv.CacheShape;

/**
 * The blocked, channel-major key layout of {@code FloatKvCache}: slots are grouped in blocks of {@link #BLOCK}
 * tokens and, inside a block, each head's channel {@code c} holds the keys of the block's tokens side by side, so
 * a kernel scores a vector of keys per instruction without horizontal sums.
 *
 * <pre>
 *  keys[((block * kvHeads + head) * headDim + c) * BLOCK + lane]      slot = block * BLOCK + lane
 *
 *  block 0, head 0:  c=0 | k0 k1 k2 ... k31 |
 *                    c=1 | k0 k1 k2 ... k31 |
 *                    ...
 *  block 0, head 1:  c=0 | k0 ...       k31 |
 *  ...
 * </pre>
 * An array for {@code capacity} slots (a multiple of BLOCK) holds {@code capacity * kvHeads * headDim} floats.
 */
public final class KeyBlocks {

    /** Tokens per key block. */
    public static final int BLOCK = 32;

    private KeyBlocks() {
    }

    /** Index of channel {@code c} of head {@code head} of slot {@code slot}. */
    public static int index(CacheShape shape, int slot, int head, int c) {
        return (((slot / BLOCK) * shape.kvHeads() + head) * shape.headDim() + c) * BLOCK + slot % BLOCK;
    }

    /** Smallest multiple of BLOCK that is at least {@code slots}. */
    public static int roundUp(int slots) {
        return (slots + BLOCK - 1) / BLOCK * BLOCK;
    }

    /**
     * Writes {@code count} tokens of row-major keys into blocked slots {@code from .. from+count).
     *
     * @param rows [count, kvHeads, headDim]
     */
    public static void scatter(CacheShape shape, float[] rows, int count, float[] blocks, int from) {
        int kvHeads = shape.kvHeads();
        int d = shape.headDim();
        for (int t = 0; t < count; t++) {
            int slot = from + t;
            for (int h = 0; h < kvHeads; h++) {
                int src = (t * kvHeads + h) * d;
                int dst = index(shape, slot, h, 0);
                for (int c = 0; c < d; c++) {
                    blocks[dst + c * BLOCK] = rows[src + c];
                }
            }
        }
    }

    /** A blocked copy holding, as its slots {@code 0 .. slots.length)}, the given slots of {@code blocks}. */
    public static float[] select(CacheShape shape, float[] blocks, int[] slots) {
        int kvHeads = shape.kvHeads();
        int d = shape.headDim();
        float[] out = new float[roundUp(slots.length) * shape.tokenWidth()];
        for (int t = 0; t < slots.length; t++) {
            for (int h = 0; h < kvHeads; h++) {
                int src = index(shape, slots[t], h, 0);
                int dst = index(shape, t, h, 0);
                for (int c = 0; c < d; c++) {
                    out[dst + c * BLOCK] = blocks[src + c * BLOCK];
                }
            }
        }
        return out;
    }

    /** Row-major copy {@code [size, kvHeads, headDim]} of the first {@code size} blocked slots. */
    public static float[] gather(CacheShape shape, float[] blocks, int size) {
        int kvHeads = shape.kvHeads();
        int d = shape.headDim();
        float[] rows = new float[size * shape.tokenWidth()];
        for (int s = 0; s < size; s++) {
            for (int h = 0; h < kvHeads; h++) {
                int src = index(shape, s, h, 0);
                int dst = (s * kvHeads + h) * d;
                for (int c = 0; c < d; c++) {
                    rows[dst + c] = blocks[src + c * BLOCK];
                }
            }
        }
        return rows;
    }
}

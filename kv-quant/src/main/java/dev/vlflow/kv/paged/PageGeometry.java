package dev.vlflow.kv.paged;

import dev.vlflow.kv.CacheShape;

/**
 * Sizes of the pages of one cache. A page holds {@code pageTokens} tokens of one layer (keys and values of all KV
 * heads), in groups of {@code groupSize} tokens; the values of a token are quantized per group of
 * {@code min(groupSize, headDim)} channels.
 *
 * @param shape      the cache geometry
 * @param pageTokens tokens per page, a multiple of groupSize
 * @param groupSize  tokens per key group (and channels per value group)
 */
public record PageGeometry(CacheShape shape, int pageTokens, int groupSize) {
    public PageGeometry {
        if (groupSize <= 0 || pageTokens <= 0 || pageTokens % groupSize != 0) {
            throw new IllegalArgumentException("page of " + pageTokens + " tokens is not a positive multiple of the "
                    + "group size " + groupSize);
        }
        if ((groupSize * shape.headDim()) % 16 != 0) {
            throw new IllegalArgumentException("groupSize * headDim = " + groupSize * shape.headDim()
                    + " must be a multiple of 16 so that 2-bit tiles fill whole 32-bit words");
        }
    }

    /** Key groups per page. */
    public int groups() {
        return pageTokens / groupSize;
    }

    /** Channels per value quantization group. */
    public int channelGroup() {
        return Math.min(groupSize, shape.headDim());
    }

    /** Elements of one tile (one group, one head): {@code groupSize * headDim}. */
    public int tileElements() {
        return groupSize * shape.headDim();
    }

    public int tileBytes(int bits) {
        return TileCodec.tileBytes(tileElements(), bits);
    }

    public int keyParamsPerTile(int bits) {
        return TileCodec.keyParams(shape.headDim(), bits);
    }

    public int valueParamsPerTile(int bits) {
        return TileCodec.valueParams(groupSize, shape.headDim(), channelGroup(), bits);
    }

    /** Bytes one full group of tokens occupies in a page at {@code bits}: codes and fp16 parameters of K and V. */
    public long groupBytes(int bits) {
        int heads = shape.kvHeads();
        return (long) heads * (2L * tileBytes(bits) + (long) Integer.BYTES * (keyParamsPerTile(bits)
                + valueParamsPerTile(bits)));
    }
}

package dev.vlflow.kv;

/**
 * The geometry of one model's KV cache: how many decoder layers, KV heads per layer and channels per head.
 *
 * @param layers   decoder layers that keep KV (skipped layers still count; they simply hold no tokens)
 * @param kvHeads  key/value heads per layer (GQA: fewer than query heads)
 * @param headDim  channels per head
 */
public record CacheShape(int layers, int kvHeads, int headDim) {
    public CacheShape {
        if (layers <= 0 || kvHeads <= 0 || headDim <= 0) {
            throw new IllegalArgumentException("cache shape must be positive, got layers=" + layers
                    + " kvHeads=" + kvHeads + " headDim=" + headDim);
        }
    }

    /** Floats in one token's keys (or values) for one layer: {@code kvHeads * headDim}. */
    public int tokenWidth() {
        return kvHeads * headDim;
    }

    /**
     * Checks the arguments of {@link KvCache#append}: keys and values hold at least {@code count} tokens
     * ({@code count * tokenWidth()} floats) and there are at least {@code count} positions.
     *
     * @throws IllegalArgumentException naming the sizes needed
     */
    public void checkAppend(float[] keys, float[] values, int[] positions, int count) {
        int w = tokenWidth();
        if (keys.length < count * w || values.length < count * w || positions.length < count) {
            throw new IllegalArgumentException("append of " + count + " tokens needs " + count * w
                    + " floats of keys and values and " + count + " positions");
        }
    }
}

package dev.vlflow.kv;

/**
 * The KV cache of one stream (one conversation over one video), for all decoder layers.
 *
 * <p>Keys are stored after RoPE; every token keeps the original position it was rotated with, so slots may be
 * regrouped, evicted or demoted without changing what attention computes. Implementations: {@link FloatKvCache}
 * (plain float, the reference) and the paged mixed-precision cache.
 *
 * <p>Not thread-safe: one owner at a time (an operator's mailbox thread, or one engine session).
 */
public interface KvCache {

    CacheShape shape();

    /** Tokens currently held for {@code layer}. */
    int size(int layer);

    /**
     * Appends {@code count} tokens to one layer.
     *
     * @param keys      [count, kvHeads, headDim] keys after RoPE
     * @param values    [count, kvHeads, headDim]
     * @param positions [count] original positions
     */
    void append(int layer, float[] keys, float[] values, int[] positions, int count);

    /**
     * Attention of a query block against one layer.
     *
     * @param out [count, heads, headDim] receives the attention output (overwritten)
     */
    void attend(int layer, AttentionQuery query, float[] out);

    /** Keeps the first {@code tokens} tokens of every layer (in slot order) and drops the rest. */
    void truncate(int tokens);

    /** A cheap independent copy: later appends/truncations to either side do not affect the other. */
    KvCache fork();

    /** Bytes this cache holds for keys, values and their quantization parameters. */
    long bytes();

    /** Original positions of one layer's tokens, in slot order. */
    int[] positions(int layer);

    /** A copy of one layer's keys as attention sees them (dequantized), [size, kvHeads, headDim], in slot order. */
    float[] keys(int layer);

    /** A copy of one layer's values as attention sees them (dequantized), [size, kvHeads, headDim], in slot order. */
    float[] values(int layer);

    /** Drops the given slots of one layer, in place; the other tokens keep their positions and what they attend. */
    void evict(int layer, int[] slots);

    /**
     * A fork holding only the tokens at positions below {@code nextPosition}: the cache as it was when the stream's
     * next position was {@code nextPosition}, provided nothing was evicted since (positions are causal, so those
     * tokens' K/V never depended on later ones).
     */
    default KvCache asOf(int nextPosition) {
        KvCache view = fork();
        for (int layer = 0; layer < shape().layers(); layer++) {
            int[] positions = view.positions(layer);
            view.evict(layer, java.util.stream.IntStream.range(0, positions.length)
                    .filter(s -> positions[s] >= nextPosition).toArray());
        }
        return view;
    }

    /**
     * The share of attention mass the important tokens hold when this cache stores tokens at a precision chosen by
     * importance (a mixed-precision policy); empty when every token gets the same precision.
     */
    default java.util.OptionalDouble importantMass() {
        return java.util.OptionalDouble.empty();
    }

    /**
     * Marks the newest {@code important.length} slots of a layer important or not; a cache that mixes precisions
     * stores them at its high or low precision, any other cache ignores the call.
     *
     * @param important [count] for slots {@code size(layer) - count .. size(layer) - 1}
     */
    default void markImportance(int layer, boolean[] important) {
    }

    /**
     * Stores the given slots of a layer at the low precision of a cache that mixes precisions by importance (ZipVL's
     * demotion of cached tokens a question finds unimportant); slots already there, and any other cache, are left
     * as they are.
     */
    default void demote(int layer, int[] slots) {
    }

    /**
     * Tokens of a layer still held in full precision waiting to be quantized (always the newest slots); 0 for a cache
     * that does not quantize.
     */
    default int unsealed(int layer) {
        return 0;
    }

    /**
     * Quantizes every token of a layer still held in full precision at the precision it was marked for (ZipVL: the
     * prompt at the end of prefill, decode tokens every re-compression interval). No-op for a cache that does not
     * quantize.
     */
    default void seal(int layer) {
    }
}

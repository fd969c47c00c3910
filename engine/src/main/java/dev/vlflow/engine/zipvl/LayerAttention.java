package dev.vlflow.engine.zipvl;

import dev.vlflow.kv.AttentionQuery;
import dev.vlflow.kv.KvCache;

/**
 * How one decoder layer's queries attend, after the block's K/V were appended to the cache: densely, ZipVL's
 * sparse prefill, or a decode step with ZipVL's periodic re-compression. The one place the decoder's attention
 * strategy varies.
 */
public sealed interface LayerAttention permits LayerAttention.Dense, SparsePrefill, DecodeRecompression {

    /**
     * @param q         [tokens, heads, headDim] queries after RoPE
     * @param positions [tokens] original positions
     * @param out       [tokens, heads, headDim] receives the attention output (overwritten)
     */
    void attend(int layer, float[] q, int tokens, int[] positions, KvCache cache, float[] out);

    static LayerAttention dense(int heads, float scale) {
        return new Dense(heads, scale);
    }

    /** Causal attention of every query over the cache. */
    record Dense(int heads, float scale) implements LayerAttention {
        @Override
        public void attend(int layer, float[] q, int tokens, int[] positions, KvCache cache, float[] out) {
            cache.attend(layer, AttentionQuery.causal(q, tokens, heads, positions, scale), out);
        }
    }
}

package dev.vlflow.engine.zipvl;

import dev.vlflow.kv.AttentionQuery;
import dev.vlflow.kv.KvCache;
import java.util.Optional;

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

    /**
     * After {@code layer} ran on the block's {@code tokens} rows: the rows that go on to the next layer, ascending, or
     * null for all of them (progressive token dropping removes rows; the others never do).
     */
    default int[] survivors(int layer, int tokens) {
        return null;
    }

    /** After the last chunk of a prefill call: ZipVL seals the prompt; the others do nothing. */
    default void finish(KvCache cache) {
    }

    /** What ZipVL did in this prefill call; empty for the others. */
    default Optional<ZipVlStats> stats() {
        return Optional.empty();
    }

    static LayerAttention dense(int heads, float scale) {
        return new Dense(heads, scale);
    }

    /**
     * The attention of one prefill call, chosen here: ZipVL when configured; else, on a cache that mixes precisions
     * by importance, ZipVL's rule with dense attention to choose the bits (the policy's mass as tau); else dense.
     *
     * @param firstPosition position of the call's first token (earlier ones are cached context)
     * @param video         the call's video positions, the only ones progressive dropping may remove
     */
    static LayerAttention prefill(Optional<ZipVlOptions> zipvl, KvCache cache, int layers, int heads, float scale,
                                  int firstPosition, PromptPart part, VideoSpan video) {
        if (zipvl.isPresent()) {
            return SparsePrefill.start(zipvl.get(), layers, heads, scale, firstPosition, part, video);
        }
        if (cache.importantMass().isPresent()) {
            return SparsePrefill.start(ZipVlOptions.bitsOnly(cache.importantMass().getAsDouble()), layers, heads,
                    scale, firstPosition, PromptPart.CONTEXT, video);
        }
        return dense(heads, scale);
    }

    /** The attention of a decode step (or any block outside a prefill call): ZipVL's re-compression, or dense. */
    static LayerAttention decode(Optional<ZipVlOptions> zipvl, int heads, float scale) {
        return zipvl.<LayerAttention>map(z -> new DecodeRecompression(z, heads, scale)).orElseGet(() -> dense(heads,
                scale));
    }

    /** Causal attention of every query over the cache. */
    record Dense(int heads, float scale) implements LayerAttention {
        @Override
        public void attend(int layer, float[] q, int tokens, int[] positions, KvCache cache, float[] out) {
            cache.attend(layer, AttentionQuery.causal(q, tokens, heads, positions, scale), out);
        }
    }
}

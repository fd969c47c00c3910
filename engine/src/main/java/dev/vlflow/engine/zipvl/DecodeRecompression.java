package dev.vlflow.engine.zipvl;

import dev.vlflow.kv.AttentionMask;
import dev.vlflow.kv.AttentionQuery;
import dev.vlflow.kv.KvCache;
import java.util.Arrays;
import java.util.Optional;

/**
 * ZipVL's decode rule (ALGORITHMS.md §1.5): new tokens stay in full precision; once a layer holds
 * {@code decodeInterval} of them, the current queries' attention over those tokens (summed over heads) decides
 * by Eq. 6 which are important, and they are quantized at the cache's high or low precision. Attention itself is
 * dense.
 */
public record DecodeRecompression(ZipVlOptions options, int heads, float scale) implements LayerAttention {

    @Override
    public void attend(int layer, float[] q, int tokens, int[] positions, KvCache cache, float[] out) {
        int pending = cache.unsealed(layer);
        if (pending < options.decodeInterval()) {
            cache.attend(layer, AttentionQuery.causal(q, tokens, heads, positions, scale), out);
            return;
        }
        int size = cache.size(layer);
        float[] mass = new float[size];
        cache.attend(layer, new AttentionQuery(q, tokens, heads, positions, new AttentionMask.Causal(), scale,
                Optional.of(mass)), out);
        float[] recent = Arrays.copyOfRange(mass, size - pending, size);
        int p = TokenSelection.importantCount(recent, options.tau());
        double[] score = new double[pending];
        for (int i = 0; i < pending; i++) {
            score[i] = recent[i];
        }
        boolean[] important = new boolean[pending];
        for (int i : TokenSelection.top(score, p, false)) {
            important[i] = true;
        }
        cache.markImportance(layer, important);
        cache.seal(layer);
    }
}

package dev.vlflow.engine.decode;

import dev.vlflow.engine.runtime.DecoderRunner;
import dev.vlflow.engine.runtime.LayerPlan;
import dev.vlflow.engine.runtime.Sampler;
import dev.vlflow.kv.AttentionMask;
import dev.vlflow.kv.KvCache;
import java.util.BitSet;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * SWIFT's on-line skip-set search (ALGORITHMS.md §3.3), random-search variant: after each of a stream's first
 * answers, random sets of {@code floor(2(L-2) * ratio)} sub-layers of layers 1..L-2 are scored by teacher forcing on
 * that answer (one pass of the skipped model over the generated tokens; score = fraction of positions whose argmax
 * is the generated token), together with the best set so far; the best is adopted. Stops after the configured
 * number of answers or once a set scores above {@link #ENOUGH}.
 */
final class SkipSearch {

    static final double ENOUGH = 0.95;

    private final SkipSource.Searched spec;
    private final int layers;
    private final SplittableRandom random;
    private int answers;
    private double bestScore = -1;
    private LayerPlan best;

    SkipSearch(SkipSource.Searched spec, int layers) {
        this.spec = spec;
        this.layers = layers;
        this.random = new SplittableRandom(spec.seed());
    }

    boolean done() {
        return answers >= spec.answers() || bestScore > ENOUGH;
    }

    /**
     * Scores skip sets on one answer and adopts the best into {@code tuning}. The cache is the answer's own, about to
     * be dropped; the search truncates it to {@code promptEnd} tokens.
     *
     * @param promptEnd     tokens in the cache before the first generated token
     * @param firstPosition position of the first generated token
     * @param generated     the answer's tokens
     */
    void run(DecoderRunner decoder, Consumer<float[]> mask, KvCache cache, int promptEnd, int firstPosition,
             int[] generated, SelfDraftTuning tuning) {
        if (generated.length < 2 || done()) {
            return;
        }
        answers++;
        cache.truncate(promptEnd);
        if (best != null) {
            bestScore = score(decoder, mask, cache, promptEnd, firstPosition, generated, best);
        }
        for (int t = 0; t < spec.trials() && !(bestScore > ENOUGH); t++) {
            LayerPlan candidate = propose();
            double s = score(decoder, mask, cache, promptEnd, firstPosition, generated, candidate);
            if (s > bestScore) {
                bestScore = s;
                best = candidate;
            }
        }
        tuning.adopt(best);
    }

    double bestScore() {
        return bestScore;
    }

    private LayerPlan propose() {
        int searchable = 2 * Math.max(0, layers - 2);
        int skip = (int) Math.floor(searchable * spec.ratio());
        int[] order = new int[searchable];
        for (int i = 0; i < searchable; i++) {
            order[i] = i;
        }
        for (int i = searchable - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int tmp = order[i];
            order[i] = order[j];
            order[j] = tmp;
        }
        BitSet attention = new BitSet();
        BitSet mlp = new BitSet();
        for (int i = 0; i < skip; i++) {
            int layer = 1 + order[i] / 2;
            (order[i] % 2 == 0 ? attention : mlp).set(layer);
        }
        return new LayerPlan(layers, attention, mlp);
    }

    private static double score(DecoderRunner decoder, Consumer<float[]> mask, KvCache cache, int promptEnd,
                                int firstPosition, int[] generated, LayerPlan plan) {
        int n = generated.length - 1;
        int[] inputs = java.util.Arrays.copyOf(generated, n);
        int[] positions = new int[n];
        for (int i = 0; i < n; i++) {
            positions[i] = firstPosition + i;
        }
        var result = decoder.decode(decoder.embed(inputs), n, positions, new AttentionMask.Causal(), cache, plan);
        cache.truncate(promptEnd);
        int hits = 0;
        for (int i = 0; i < n; i++) {
            float[] row = result.row(i);
            mask.accept(row);
            hits += Sampler.argmax(row) == generated[i + 1] ? 1 : 0;
        }
        return (double) hits / n;
    }
}

package dev.vlflow.engine.zipvl;

import dev.vlflow.kv.AttentionMask;
import dev.vlflow.kv.AttentionQuery;
import dev.vlflow.kv.KvCache;
import java.util.Arrays;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * ZipVL's prefill of one block of prompt tokens in one layer (ALGORITHMS.md §1.3–§1.4, §1.7), for one prefill call
 * that may span several chunks:
 * <ol>
 *   <li>probe rows (the chunk's last 64 and 64 random others) attend causally over the whole cache; the mass each of
 *       the chunk's tokens receives, summed over probes and heads, gives the number of important tokens (Eq. 6)
 *       and, normalized by how many probe queries see each token, which ones (Eq. 7–8); the last token is kept;</li>
 *   <li>only the important rows are queried, and they see the context cached before this call, the important
 *       tokens of the call's earlier chunks and the chunk's important tokens (a {@link AttentionMask.Subset} over
 *       original positions); unimportant rows get zero attention output, so they keep their residual;</li>
 *   <li>every token's K/V stays in the cache, marked important or not for the cache's precision policy.</li>
 * </ol>
 * Layers in the dense set attend densely and keep all tokens important. A block no longer than the probe count
 * (every row a probe: a question, a short segment) attends densely, since the probe call already is its dense
 * attention; sparse attention there would lose accuracy and save nothing (its importance still chooses bits). With
 * {@link ZipVlOptions.Attention#DENSE} attention is dense everywhere and importance only chooses bits.
 *
 * <p>State of one call (not thread-safe, one per prefill): the important positions of the earlier chunks per layer
 * and the statistics.
 */
public final class SparsePrefill implements LayerAttention {

    private final ZipVlOptions options;
    private final int heads;
    private final float scale;
    private final int contextEnd;       // positions before this are the context cached before the call
    private final int[][] keptSoFar;    // [layer][count] important positions of earlier chunks, ascending
    private final int[] keptCount;      // [layer]
    private final int[] callTokens;     // [layer] tokens of earlier chunks of this call
    private final ZipVlStats.Recorder recorder;
    private final PromptPart part;
    private final VideoSpan video;      // the call's video positions: the only ones dropping may remove
    // the current chunk's rows (progressive dropping): position, layers in a row unimportant, last layer's score
    private int[] rowPositions = new int[0];
    private int[] streak = new int[0];
    private double[] score = new double[0];

    private SparsePrefill(ZipVlOptions options, int layers, int heads, float scale, int contextEnd, PromptPart part,
                          VideoSpan video) {
        this.options = options;
        this.video = video;
        this.part = part;
        this.heads = heads;
        this.scale = scale;
        this.contextEnd = contextEnd;
        this.keptSoFar = new int[layers][0];
        this.keptCount = new int[layers];
        this.callTokens = new int[layers];
        this.recorder = new ZipVlStats.Recorder(layers);
    }

    /** A prefill call whose first token is at {@code firstPosition}; earlier positions are visible context. */
    public static SparsePrefill start(ZipVlOptions options, int layers, int heads, float scale, int firstPosition) {
        return start(options, layers, heads, scale, firstPosition, PromptPart.CONTEXT, VideoSpan.NONE);
    }

    /**
     * As above, for a prompt part with its own rules (a question demotes cached tokens and drops none); only
     * positions in {@code video} may be dropped.
     */
    public static SparsePrefill start(ZipVlOptions options, int layers, int heads, float scale, int firstPosition,
                                      PromptPart part, VideoSpan video) {
        return new SparsePrefill(options, layers, heads, scale, firstPosition, part, video);
    }

    /** What the call did so far. */
    @Override
    public Optional<ZipVlStats> stats() {
        return Optional.of(recorder.stats());
    }

    /**
     * Seals every layer (the prompt quantized whole, §1.5), unless attention is dense (importance only chooses
     * bits, as for a mixed cache without ZipVL), where the cache keeps its fp32 window as before.
     */
    @Override
    public void finish(KvCache cache) {
        if (options.attention() == ZipVlOptions.Attention.SPARSE) {
            for (int layer = 0; layer < keptCount.length; layer++) {
                cache.seal(layer);
            }
        }
    }

    @Override
    public void attend(int layer, float[] q, int tokens, int[] positions, KvCache cache, float[] out) {
        int size = cache.size(layer);
        long context = size - tokens; // slots before this chunk
        long densePairs = tokens * context + (long) tokens * (tokens + 1) / 2;
        if (layer == 0 || !Arrays.equals(rowPositions, positions)) { // a new chunk: every row runs
            rowPositions = positions.clone();
            streak = new int[tokens];
            score = new double[tokens];
        }
        if (options.dense(layer)) {
            Arrays.fill(streak, 0);
            cache.attend(layer, AttentionQuery.causal(q, tokens, heads, positions, scale), out);
            recorder.layer(layer, tokens, tokens, densePairs, densePairs);
            callTokens[layer] += tokens;
            return;
        }
        int width = q.length / tokens;
        int[] probes = TokenSelection.probes(tokens, options.probesRecent(), options.probesRandom(),
                new SplittableRandom(options.seed() * 1_000_003L + layer * 7919L + positions[0]));
        int[] probePositions = pick(positions, probes);
        float[] mass = new float[size];
        boolean allProbes = probes.length == tokens; // then the probe call is the dense attention of the block
        float[] probeOut = allProbes ? out : new float[probes.length * width];
        cache.attend(layer, new AttentionQuery(rows(q, width, probes), probes.length, heads, probePositions,
                new AttentionMask.Causal(), scale, Optional.of(mass)), probeOut);
        long probePairs = 0;
        for (int i : probes) {
            probePairs += context + i + 1;
        }
        float[] blockMass = Arrays.copyOfRange(mass, size - tokens, size);
        int[] kept = TokenSelection.select(blockMass, positions, probePositions, heads, options.tau(),
                options.forcedRatio()).kept();
        boolean[] important = new boolean[tokens];
        for (int i : kept) {
            important[i] = true;
        }
        cache.markImportance(layer, important);
        for (int i = 0; i < tokens; i++) {
            streak[i] = important[i] ? 0 : streak[i] + 1;
            score[i] = blockMass[i];
        }
        if (allProbes) {
            recorder.layer(layer, tokens, kept.length, densePairs, probePairs);
        } else if (options.attention() == ZipVlOptions.Attention.DENSE) {
            cache.attend(layer, AttentionQuery.causal(q, tokens, heads, positions, scale), out);
            recorder.layer(layer, tokens, kept.length, densePairs, densePairs + probePairs);
        } else {
            long sparsePairs = sparse(layer, q, width, positions, kept, cache, out, context);
            recorder.layer(layer, tokens, kept.length, densePairs, sparsePairs + probePairs);
        }
        remember(layer, positions, kept);
        if (part == PromptPart.QUESTION && options.demotion() == ZipVlOptions.Demotion.DEMOTE
                && callTokens[layer] == 0) {
            // the call's first chunk: every slot before it is cached context (a demotion reorders slots)
            demote(layer, cache, Arrays.copyOf(mass, (int) context));
        }
        callTokens[layer] += tokens;
    }

    /**
     * Progressive token dropping (§1.10): after a layer from {@code fromLayer} on, the video rows unimportant in the
     * last {@code consecutive} layers leave, at most {@code maxDrop} of the layer's video rows (the lowest-scored
     * first); text rows, a question's rows and the chunk's last row stay.
     */
    @Override
    public int[] survivors(int layer, int tokens) {
        ZipVlOptions.Dropping d = options.dropping();
        if (!d.on() || part == PromptPart.QUESTION || layer < d.fromLayer() || options.dense(layer)
                || layer == keptCount.length - 1) {
            return null;
        }
        int videoRows = 0;
        java.util.List<Integer> candidates = new java.util.ArrayList<>();
        for (int i = 0; i < tokens; i++) {
            if (video.contains(rowPositions[i])) {
                videoRows++;
                if (streak[i] >= d.consecutive() && i != tokens - 1) {
                    candidates.add(i);
                }
            }
        }
        int most = (int) Math.floor(d.maxDrop() * videoRows);
        if (candidates.isEmpty() || most == 0) {
            return null;
        }
        if (candidates.size() > most) {
            candidates.sort((a, b) -> Double.compare(score[a], score[b]));
            candidates = candidates.subList(0, most);
        }
        boolean[] drop = new boolean[tokens];
        candidates.forEach(i -> drop[i] = true);
        int[] keep = new int[tokens - candidates.size()];
        for (int i = 0, k = 0; i < tokens; i++) {
            if (!drop[i]) {
                keep[k++] = i;
            }
        }
        rowPositions = pick(rowPositions, keep);
        streak = pick(streak, keep);
        double[] s = new double[keep.length];
        for (int i = 0; i < keep.length; i++) {
            s[i] = score[keep[i]];
        }
        score = s;
        return keep;
    }

    /**
     * §1.9: the question's probes re-score the tokens cached before this call; those outside the Eq. 6 set
     * (every probe sees every cached token, so Eq. 7 does not reorder them) go to the low precision.
     *
     * @param contextMass [cached slots] mass the probes gave each slot cached before this call
     */
    private void demote(int layer, KvCache cache, float[] contextMass) {
        if (contextMass.length == 0) {
            return;
        }
        double[] score = new double[contextMass.length];
        for (int i = 0; i < score.length; i++) {
            score[i] = contextMass[i];
        }
        int[] keep = TokenSelection.top(score, TokenSelection.importantCount(contextMass, options.tau()), false);
        int[] demoted = new int[contextMass.length - keep.length];
        for (int s = 0, k = 0, d = 0; s < contextMass.length; s++) {
            if (k < keep.length && keep[k] == s) {
                k++;
            } else {
                demoted[d++] = s;
            }
        }
        cache.demote(layer, demoted);
    }

    /** Attention of the kept rows among the visible tokens; the other rows of {@code out} become zero. */
    private long sparse(int layer, float[] q, int width, int[] positions, int[] kept, KvCache cache, float[] out,
                        long context) {
        int[] keptPositions = pick(positions, kept);
        int before = keptCount[layer];
        int[] visible = new int[contextEnd + before + kept.length];
        for (int p = 0; p < contextEnd; p++) {
            visible[p] = p;
        }
        System.arraycopy(keptSoFar[layer], 0, visible, contextEnd, before);
        System.arraycopy(keptPositions, 0, visible, contextEnd + before, kept.length);
        float[] o = new float[kept.length * width];
        cache.attend(layer, new AttentionQuery(rows(q, width, kept), kept.length, heads, keptPositions,
                new AttentionMask.Subset(visible), scale, Optional.empty()), o);
        Arrays.fill(out, 0, positions.length * width, 0f);
        for (int r = 0; r < kept.length; r++) {
            System.arraycopy(o, r * width, out, kept[r] * width, width);
        }
        long cachedContext = context - callTokens[layer];
        long pairs = 0;
        for (int r = 0; r < kept.length; r++) {
            pairs += cachedContext + before + r + 1;
        }
        return pairs;
    }

    private void remember(int layer, int[] positions, int[] kept) {
        int n = keptCount[layer];
        if (keptSoFar[layer].length < n + kept.length) {
            keptSoFar[layer] = Arrays.copyOf(keptSoFar[layer], Math.max(2 * keptSoFar[layer].length, n + kept.length));
        }
        for (int i = 0; i < kept.length; i++) {
            keptSoFar[layer][n + i] = positions[kept[i]];
        }
        keptCount[layer] = n + kept.length;
    }

    private static int[] pick(int[] values, int[] indices) {
        int[] out = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            out[i] = values[indices[i]];
        }
        return out;
    }

    /** Rows {@code indices} of a row-major [n, width] array. */
    private static float[] rows(float[] a, int width, int[] indices) {
        float[] out = new float[indices.length * width];
        for (int i = 0; i < indices.length; i++) {
            System.arraycopy(a, indices[i] * width, out, i * width, width);
        }
        return out;
    }
}

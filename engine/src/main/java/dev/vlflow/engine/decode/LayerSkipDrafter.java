package dev.vlflow.engine.decode;

import dev.vlflow.engine.runtime.DecoderRunner;
import dev.vlflow.engine.runtime.LayerPlan;
import dev.vlflow.kv.AttentionMask;
import dev.vlflow.kv.FloatKvCache;
import dev.vlflow.kv.KvCache;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Self-speculative drafting (ALGORITHMS.md §3.4): the model itself with the stream's skip set drafts greedily, one
 * token per pass, up to {@code maxDraft} tokens, stopping after a token whose top-1 probability is below the
 * adaptive threshold γ. With {@code width > 1} each depth also proposes the next {@code width - 1} most likely tokens
 * as sibling leaves of the chain (a tree, SWIFT-style candidate expansion).
 *
 * <p>The draft's K/V are scratch: drafting runs on the committed cache and truncates it back (float cache) or on a
 * fork (the paged cache, whose appends also move older tokens out of the fp32 window).
 */
public final class LayerSkipDrafter implements Drafter {

    private final DecoderRunner decoder;
    private final Consumer<float[]> mask;
    private final SelfDraftTuning tuning;
    private final int maxDraft;
    private final int width;

    /**
     * @param mask sets the logits of never-generated ids to minus infinity (in place)
     */
    public LayerSkipDrafter(DecoderRunner decoder, Consumer<float[]> mask, SelfDraftTuning tuning, int maxDraft,
                            int width) {
        this.decoder = decoder;
        this.mask = mask;
        this.tuning = tuning;
        this.maxDraft = maxDraft;
        this.width = width;
    }

    public SelfDraftTuning tuning() {
        return tuning;
    }

    @Override
    public Draft propose(Context context) {
        int k = Math.min(maxDraft, context.budget());
        if (k == 0 || tuning.plan().isEmpty()) {
            return Draft.none();
        }
        LayerPlan plan = tuning.plan().get();
        KvCache committed = context.cache();
        boolean inPlace = committed instanceof FloatKvCache;
        KvCache scratch = inPlace ? committed : committed.fork();
        int before = committed.size(0);
        int[] chain = new int[k];
        int[] siblings = new int[k * (width - 1)];
        int[] siblingDepth = new int[siblings.length];
        int drafted = 0;
        int nSiblings = 0;
        try {
            int token = context.pending();
            for (int depth = 0; depth < k; depth++) {
                float[] logits = decoder.decode(decoder.embed(new int[] {token}), 1,
                        new int[] {context.position() + depth}, new AttentionMask.Causal(), scratch, plan).row(0);
                mask.accept(logits);
                int[] top = top(logits, width);
                chain[drafted++] = top[0];
                for (int s = 1; s < top.length; s++) {
                    siblings[nSiblings] = top[s];
                    siblingDepth[nSiblings++] = depth;
                }
                if (topProbability(logits, top[0]) < tuning.gamma()) {
                    break;
                }
                token = top[0];
            }
        } finally {
            if (inPlace) {
                committed.truncate(before);
            }
        }
        return tree(Arrays.copyOf(chain, drafted), siblings, siblingDepth, nSiblings);
    }

    @Override
    public void observe(Draft draft, Acceptance acceptance) {
        int chain = 0;
        for (int d = 1; d <= draft.size() && draft.depth(d) == d; d++) {
            chain = d;
        }
        tuning.update(chain, Math.min(chain, acceptance.acceptedCount()), chain == maxDraft);
    }

    /** Chain nodes first (block 1..n, so a fully accepted chain is a prefix), then the siblings as leaves. */
    static Draft tree(int[] chain, int[] siblings, int[] siblingDepth, int nSiblings) {
        int n = chain.length;
        int[] tokens = new int[n + nSiblings];
        int[] parents = new int[tokens.length];
        for (int i = 0; i < n; i++) {
            tokens[i] = chain[i];
            parents[i] = i;
        }
        for (int s = 0; s < nSiblings; s++) {
            tokens[n + s] = siblings[s];
            parents[n + s] = siblingDepth[s]; // the chain node at depth d is block index d (0 = root)
        }
        return new Draft(tokens, parents);
    }

    /** The {@code count} most likely ids, most likely first (ties: lower id first). */
    static int[] top(float[] logits, int count) {
        int[] best = new int[Math.min(count, logits.length)];
        Arrays.fill(best, -1);
        for (int id = 0; id < logits.length; id++) {
            float l = logits[id];
            if (l == Float.NEGATIVE_INFINITY) {
                continue;
            }
            for (int j = 0; j < best.length; j++) {
                if (best[j] < 0 || l > logits[best[j]]) {
                    System.arraycopy(best, j, best, j + 1, best.length - j - 1);
                    best[j] = id;
                    break;
                }
            }
        }
        int n = 0;
        while (n < best.length && best[n] >= 0) {
            n++;
        }
        return Arrays.copyOf(best, n);
    }

    static double topProbability(float[] logits, int top) {
        double max = logits[top];
        double sum = 0;
        for (float l : logits) {
            sum += Math.exp(l - max);
        }
        return 1 / sum;
    }
}

package dev.vlflow.engine.decode;

import dev.vlflow.engine.runtime.DecoderRunner;
import dev.vlflow.engine.runtime.ForwardResult;
import dev.vlflow.engine.runtime.LayerPlan;
import dev.vlflow.engine.runtime.Sampler;
import dev.vlflow.kv.KvCache;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * One generation step of one answer: {@code draft -> verify -> accept -> commit}. Verification is one forward pass
 * of the model over {@code [pending, candidates]} (a chain under the causal mask, a tree under a tree mask with
 * per-node positions); acceptance follows ALGORITHMS.md §3.0 (greedy: identical to plain greedy; sampling: the
 * rejection rule); the rejected candidates' K/V are truncated away, and an accepted tree path that is not a prefix
 * of the block is re-appended contiguously.
 *
 * <p>Numerics (ALGORITHMS.md §0): ONNX Runtime may round a row computed in a block differently from the same row
 * alone, so greedy equality with plain decoding holds up to near-ties of the top two logits. On the paged cache a
 * block is appended at once, so a candidate's query can see in fp32 a few tokens that one-token decoding would have
 * moved out of the fp32 window and quantized just before (only when a key group completes inside the block).
 */
public final class Speculator {

    private final DecoderRunner decoder;
    private final Consumer<float[]> mask;
    private final Drafter drafter;
    private final AcceptRule rule;
    private final LayerPlan verifyPlan;
    private final Optional<SelfDraftTuning> tuning;
    private float[] feature; // [hidden] the target's hidden state at the position that chose the pending token

    private Speculator(DecoderRunner decoder, Consumer<float[]> mask, Drafter drafter, AcceptRule rule,
                       LayerPlan verifyPlan, Optional<SelfDraftTuning> tuning) {
        this.decoder = decoder;
        this.mask = mask;
        this.drafter = drafter;
        this.rule = rule;
        this.verifyPlan = verifyPlan;
        this.tuning = tuning;
    }

    /**
     * @param mask   sets the logits of never-generated ids to minus infinity (in place)
     * @param tuning the stream's layer-skip state; required by the layer-skip and tree drafters
     * @param head   the checkpoint's draft head; required by the draft-head drafter
     */
    public static Speculator create(DecoderRunner decoder, Consumer<float[]> mask, Sampler sampler, Decoding decoding,
                                    Optional<SelfDraftTuning> tuning, Optional<DraftHead> head) {
        int layers = decoder.text().numHiddenLayers();
        Drafter drafter = drafter(decoder, mask, decoding.drafter(), tuning, head);
        LayerPlan plan = decoding.layers() instanceof LayerSkipping.Unified u
                ? LayerPlan.keeping(layers, u.keptLayers(layers)) : LayerPlan.full(layers);
        return new Speculator(decoder, mask, drafter, AcceptRule.of(sampler), plan,
                drafter instanceof LayerSkipDrafter ? tuning : Optional.empty());
    }

    private static Drafter drafter(DecoderRunner decoder, Consumer<float[]> mask, DrafterSpec spec,
                                   Optional<SelfDraftTuning> tuning, Optional<DraftHead> head) {
        if (spec.draftLength() == 0 || spec instanceof DrafterSpec.None) {
            return new NoDrafter();
        }
        if (spec instanceof DrafterSpec.PromptLookup p) {
            return new PromptLookupDrafter(p.minNgram(), p.draftLength(), p.startLength());
        }
        if (spec instanceof DrafterSpec.Head h) {
            return new DraftHeadDrafter(decoder, mask, head.orElseThrow(() -> new IllegalArgumentException(
                    "draft-head drafting needs " + DraftHead.FILE + " in the checkpoint directory")),
                    h.draftLength(), h.width());
        }
        SelfDraftTuning t = tuning.orElseThrow(() -> new IllegalArgumentException(spec.name()
                + " drafting needs the stream's layer-skip tuning"));
        return spec instanceof DrafterSpec.Tree tree
                ? new LayerSkipDrafter(decoder, mask, t, tree.draftLength(), tree.width())
                : new LayerSkipDrafter(decoder, mask, t, spec.draftLength(), 1);
    }

    /**
     * The first token of an answer, from the prefill's last logits (masked in place).
     *
     * @param lastHidden [hidden] the prefill's last hidden state (before the final norm)
     */
    public Acceptance first(float[] logits, float[] lastHidden) {
        feature = lastHidden.clone();
        mask.accept(logits);
        return Acceptance.first(((AcceptRule.Emit) rule.choose(logits, new int[0])).token());
    }

    /**
     * One step after {@code pending}: afterwards the cache holds {@code pending} and the accepted candidates, and the
     * returned acceptance's {@code next} is the new pending token.
     *
     * @param cache the committed cache: every token before {@code pending}, none after
     */
    public Acceptance step(int pending, int position, KvCache cache, NgramIndex text, int budget) {
        // truncation keeps a token count for every layer: with layers of different sizes (a cache decoded with
        // skipped layers, or evicted unevenly) the step decodes plainly
        int room = Math.min(budget, decoder.draftRoom(cache));
        Draft draft = uniform(cache) && room > 0
                ? drafter.propose(new Drafter.Context(pending, position, cache, text, room, feature))
                : Draft.none();
        int before = cache.size(0);
        KvRecorder recorder = draft.isChain() ? null : new KvRecorder(cache);
        ForwardResult verified = verify(draft, pending, position, recorder == null ? cache : recorder);
        Acceptance a = accept(draft, verified);
        int chose = a.acceptedCount() == 0 ? 0 : a.path()[a.acceptedCount() - 1]; // the row whose logits chose next
        int h = decoder.text().hiddenSize();
        feature = java.util.Arrays.copyOfRange(verified.hidden(), chose * h, (chose + 1) * h);
        if (draft.size() > 0) {
            if (a.contiguous()) {
                cache.truncate(before + 1 + a.acceptedCount());
            } else {
                recorder.keep(before + 1, a.path(), position + 1);
            }
        }
        drafter.observe(draft, a);
        return a;
    }

    private static boolean uniform(KvCache cache) {
        for (int layer = 1; layer < cache.shape().layers(); layer++) {
            if (cache.size(layer) != cache.size(0)) {
                return false;
            }
        }
        return true;
    }

    /** Runs what learns from a finished answer (the layer-skip search on the stream's first answers). */
    public void finish(KvCache cache, int promptEnd, int firstPosition, int[] generated) {
        tuning.flatMap(SelfDraftTuning::pendingSearch).ifPresent(s ->
                s.run(decoder, mask, cache, promptEnd, firstPosition, generated, tuning.get()));
    }

    private ForwardResult verify(Draft draft, int pending, int position, KvCache cache) {
        int[] block = new int[draft.blockSize()];
        for (int b = 0; b < block.length; b++) {
            block[b] = draft.blockToken(b, pending);
        }
        return decoder.decode(decoder.embed(block), block.length, draft.positions(position), draft.mask(), cache,
                verifyPlan);
    }

    /** Walks the tree from the root: at each node the rule accepts one child or emits the target's token. */
    static Acceptance accept(Draft draft, ForwardResult verified, AcceptRule rule, Consumer<float[]> mask) {
        List<Integer> path = new ArrayList<>();
        int node = 0;
        while (true) {
            float[] logits = verified.row(node);
            mask.accept(logits);
            int[] children = draft.children(node);
            int[] candidates = new int[children.length];
            for (int i = 0; i < children.length; i++) {
                candidates[i] = draft.blockToken(children[i], 0);
            }
            AcceptRule.Choice choice = rule.choose(logits, candidates);
            if (choice instanceof AcceptRule.Accept accepted) {
                node = children[accepted.index()];
                path.add(node);
            } else {
                int[] p = path.stream().mapToInt(Integer::intValue).toArray();
                int[] tokens = new int[p.length];
                for (int i = 0; i < p.length; i++) {
                    tokens[i] = draft.blockToken(p[i], 0);
                }
                return new Acceptance(draft.size(), p, tokens, ((AcceptRule.Emit) choice).token());
            }
        }
    }

    private Acceptance accept(Draft draft, ForwardResult verified) {
        return accept(draft, verified, rule, mask);
    }
}

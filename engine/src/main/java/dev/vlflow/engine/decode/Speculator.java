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
        Pass pass = prepare(pending, position, cache, text, budget);
        return complete(pass, decoder.decode(List.of(pass.block()), pass.plan()).get(0));
    }

    /**
     * The verification pass of one step, drafted but not yet run: a caller runs the passes of many answers as one
     * batch ({@link DecoderRunner#decode(List, LayerPlan)} of those with the same decoder and plan) and completes
     * each with its result.
     */
    public final class Pass {
        private final Draft draft;
        private final int position;
        private final int before;
        private final KvCache cache;
        private final KvRecorder recorder;
        private final DecoderRunner.Block block;

        private Pass(Draft draft, int pending, int position, KvCache cache) {
            this.draft = draft;
            this.position = position;
            this.cache = cache;
            this.before = cache.size(0);
            this.recorder = draft.isChain() ? null : new KvRecorder(cache);
            int[] tokens = new int[draft.blockSize()];
            for (int b = 0; b < tokens.length; b++) {
                tokens[b] = draft.blockToken(b, pending);
            }
            this.block = new DecoderRunner.Block(decoder.embed(tokens), tokens.length, draft.positions(position),
                    draft.mask(), recorder == null ? cache : recorder);
        }

        /** The block to verify. */
        public DecoderRunner.Block block() {
            return block;
        }

        /** The sub-layers the verification runs. */
        public LayerPlan plan() {
            return verifyPlan;
        }

        /** The decoder that must run it. */
        public DecoderRunner decoder() {
            return decoder;
        }

        /** Candidates drafted (0: a plain decoding step, which any batch can take). */
        public int drafted() {
            return draft.size();
        }
    }

    /** Drafts the step after {@code pending} (see {@link #step}); the cache is unchanged until the pass runs. */
    public Pass prepare(int pending, int position, KvCache cache, NgramIndex text, int budget) {
        // truncation keeps a token count for every layer: with layers of different sizes (a cache decoded with
        // skipped layers, or evicted unevenly) the step decodes plainly
        int room = Math.min(budget, decoder.draftRoom(cache));
        Draft draft = uniform(cache) && room > 0
                ? drafter.propose(new Drafter.Context(pending, position, cache, text, room, feature))
                : Draft.none();
        return new Pass(draft, pending, position, cache);
    }

    /** Accepts from the verification pass's result and commits the cache (see {@link #step}). */
    public Acceptance complete(Pass pass, ForwardResult verified) {
        Draft draft = pass.draft;
        Acceptance a = accept(draft, verified);
        int chose = a.acceptedCount() == 0 ? 0 : a.path()[a.acceptedCount() - 1]; // the row whose logits chose next
        int h = decoder.text().hiddenSize();
        feature = java.util.Arrays.copyOfRange(verified.hidden(), chose * h, (chose + 1) * h);
        if (draft.size() > 0) {
            if (a.contiguous()) {
                pass.cache.truncate(pass.before + 1 + a.acceptedCount());
            } else {
                pass.recorder.keep(pass.before + 1, a.path(), pass.position + 1);
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

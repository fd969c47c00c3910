package dev.vlflow.engine.decode;

import dev.vlflow.kv.KvCache;

/**
 * Proposes candidates for one generation step; the full model verifies them. One drafter per answer; drafters with
 * state that outlives an answer (the layer-skip drafter's threshold and skip set) keep it in a per-stream object.
 */
public sealed interface Drafter permits NoDrafter, PromptLookupDrafter, LayerSkipDrafter, DraftHeadDrafter {

    /**
     * Candidates after {@code context}'s pending token. A drafter may use the cache as scratch but must leave it as
     * it found it.
     */
    Draft propose(Context context);

    /** Feedback after verification (adaptive draft length). */
    default void observe(Draft draft, Acceptance acceptance) {
    }

    /**
     * What a drafter sees of the answer being generated.
     *
     * @param pending  the last emitted token, not yet in the cache (the root of the draft)
     * @param position its position
     * @param cache    the committed cache (every token before {@code pending})
     * @param text     the conversation's text ids, {@code pending} included
     * @param budget   most candidates on one path worth proposing (tokens left in the answer minus one)
     * @param feature  [hidden] the target's last-layer hidden state (before the final norm) at the position whose
     *                 logits chose {@code pending}
     */
    record Context(int pending, int position, KvCache cache, NgramIndex text, int budget, float[] feature) {
    }
}

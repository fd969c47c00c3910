package dev.vlflow.engine.decode;

import dev.vlflow.engine.runtime.DecoderRunner;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Drafts with a trained {@link DraftHead} from the target's last hidden state: a chain of {@code draftLength} tokens
 * (the head run on its own predictions), each depth with its next {@code width - 1} most likely tokens as sibling
 * leaves, verified as one tree. Costs one small matrix-vector product and one LM head row per depth, no decoder
 * layer and no KV. The chain stops after a token whose top-1 probability is below {@link #CONFIDENCE} (each depth
 * costs an LM head row, which on a small model is as much as a decoder layer).
 */
public final class DraftHeadDrafter implements Drafter {

    static final double CONFIDENCE = 0.6;

    private final DecoderRunner decoder;
    private final Consumer<float[]> mask;
    private final DraftHead head;
    private final int draftLength;
    private final int width;

    /** @param mask sets the logits of never-generated ids to minus infinity (in place) */
    public DraftHeadDrafter(DecoderRunner decoder, Consumer<float[]> mask, DraftHead head, int draftLength, int width) {
        this.decoder = decoder;
        this.mask = mask;
        this.head = head;
        this.draftLength = draftLength;
        this.width = width;
    }

    @Override
    public Draft propose(Context context) {
        int k = Math.min(draftLength, context.budget());
        int[] chain = new int[k];
        int[] siblings = new int[k * (width - 1)];
        int[] siblingDepth = new int[siblings.length];
        int nSiblings = 0;
        int drafted = 0;
        float[] feature = context.feature();
        int token = context.pending();
        for (int depth = 0; depth < k; depth++) {
            feature = head.next(feature, decoder.embed(new int[] {token}));
            float[] logits = decoder.headLogits(feature, 1);
            mask.accept(logits);
            int[] top = LayerSkipDrafter.top(logits, width);
            chain[drafted++] = top[0];
            for (int s = 1; s < top.length; s++) {
                siblings[nSiblings] = top[s];
                siblingDepth[nSiblings++] = depth;
            }
            if (LayerSkipDrafter.topProbability(logits, top[0]) < CONFIDENCE) {
                break;
            }
            token = top[0];
        }
        return LayerSkipDrafter.tree(Arrays.copyOf(chain, drafted), Arrays.copyOf(siblings, nSiblings), siblingDepth,
                nSiblings);
    }
}

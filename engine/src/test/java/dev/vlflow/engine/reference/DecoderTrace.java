package dev.vlflow.engine.reference;

import java.util.Arrays;
import java.util.List;

/**
 * Everything one reference decoder pass produced (arrays are not copied; do not mutate them).
 *
 * @param tokens       sequence length n
 * @param hidden       decoder width H
 * @param vocab        vocabulary size V
 * @param hiddenStates numHiddenLayers + 1 arrays of [n, H]: index 0 is the input embeddings (after video
 *                     substitution), index l + 1 the residual stream after layer l. Unlike Hugging Face's
 *                     {@code output_hidden_states}, the last entry is NOT passed through the final norm.
 * @param finalNormed  [n, H], the final RMSNorm of the last hidden state (the LM head's input)
 * @param logits       [n, V], logits for every position
 */
public record DecoderTrace(int tokens, int hidden, int vocab, List<float[]> hiddenStates, float[] finalNormed,
                           float[] logits) {
    public DecoderTrace {
        hiddenStates = List.copyOf(hiddenStates);
        ReferenceMath.checkLength("logits", logits, (long) tokens * vocab);
        ReferenceMath.checkLength("final normed hidden state", finalNormed, (long) tokens * hidden);
    }

    /** [V], the logits that predict the token after {@code position}. */
    public float[] logitsAt(int position) {
        return Arrays.copyOfRange(logits, position * vocab, (position + 1) * vocab);
    }

    /** The greedy next token after {@code position} (lowest id on ties). */
    public int argmaxAt(int position) {
        int best = 0;
        for (int v = 1; v < vocab; v++) {
            if (logits[position * vocab + v] > logits[position * vocab + best]) {
                best = v;
            }
        }
        return best;
    }
}

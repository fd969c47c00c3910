package dev.vlflow.engine;

import java.util.List;

/**
 * Limits and sampling of one answer.
 *
 * @param maxNewTokens  at most this many generated tokens
 * @param sampling      greedy or seeded nucleus sampling
 * @param extraStopIds  token ids that end the answer in addition to the model's end-of-sequence ids
 */
public record GenerationOptions(int maxNewTokens, Sampling sampling, List<Integer> extraStopIds) {
    public GenerationOptions {
        if (maxNewTokens <= 0) {
            throw new IllegalArgumentException("maxNewTokens must be positive, got " + maxNewTokens);
        }
        extraStopIds = List.copyOf(extraStopIds);
    }

    public static GenerationOptions greedy(int maxNewTokens) {
        return new GenerationOptions(maxNewTokens, Sampling.greedy(), List.of());
    }
}

package dev.vlflow.engine;

import dev.vlflow.engine.decode.Decoding;
import java.util.List;
import java.util.Objects;

/**
 * Limits, sampling and decoding of one answer.
 *
 * @param maxNewTokens  at most this many generated tokens
 * @param sampling      greedy or seeded nucleus sampling
 * @param extraStopIds  token ids that end the answer in addition to the model's end-of-sequence ids
 * @param decoding      the drafter (lossless speculation) or layer skipping (lossy) used to generate
 */
public record GenerationOptions(int maxNewTokens, Sampling sampling, List<Integer> extraStopIds, Decoding decoding) {
    public GenerationOptions {
        if (maxNewTokens <= 0) {
            throw new IllegalArgumentException("maxNewTokens must be positive, got " + maxNewTokens);
        }
        extraStopIds = List.copyOf(extraStopIds);
        Objects.requireNonNull(sampling, "sampling");
        Objects.requireNonNull(decoding, "decoding");
    }

    /** Plain decoding. */
    public GenerationOptions(int maxNewTokens, Sampling sampling, List<Integer> extraStopIds) {
        this(maxNewTokens, sampling, extraStopIds, Decoding.plain());
    }

    public static GenerationOptions greedy(int maxNewTokens) {
        return new GenerationOptions(maxNewTokens, Sampling.greedy(), List.of());
    }

    public GenerationOptions withDecoding(Decoding d) {
        return new GenerationOptions(maxNewTokens, sampling, extraStopIds, d);
    }
}

package dev.vlflow.engine;

import java.util.List;

/**
 * A finished answer and what it cost.
 *
 * @param text                 the generated text (special tokens removed)
 * @param tokenIds             generated ids, stop token excluded
 * @param stop                 why generation ended
 * @param promptTokens         tokens prefilled for the question on top of the video context
 * @param contextTokens        tokens in the cache before the question (header and video)
 * @param timeToFirstTokenNanos from the call to the first generated token
 * @param totalNanos           from the call to the end
 * @param kvBytes              bytes of the question's KV cache at the end (context included)
 */
public record Answer(String text, List<Integer> tokenIds, StopReason stop, int promptTokens, int contextTokens,
                     long timeToFirstTokenNanos, long totalNanos, long kvBytes) {
    public Answer {
        tokenIds = List.copyOf(tokenIds);
    }

    /** Why generation ended. */
    public enum StopReason {
        /** An end-of-sequence or configured stop token. */
        STOP_TOKEN,
        /** The token limit. */
        MAX_TOKENS
    }

    /** Decode speed after the first token, in tokens per second (0 when fewer than two tokens). */
    public double decodeTokensPerSecond() {
        int n = tokenIds.size();
        long decodeNanos = totalNanos - timeToFirstTokenNanos;
        return n < 2 || decodeNanos <= 0 ? 0 : (n - 1) * 1e9 / decodeNanos;
    }
}

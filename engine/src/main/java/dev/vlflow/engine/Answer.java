package dev.vlflow.engine;

import dev.vlflow.engine.decode.DecodeStats;
import dev.vlflow.engine.decode.Decoding;
import java.util.List;
import java.util.Objects;

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
 * @param decoding             how it was decoded ({@link Decoding#lossy()}: may differ from the model's answer)
 * @param speculation          drafted and accepted candidates, verification steps
 */
public record Answer(String text, List<Integer> tokenIds, StopReason stop, int promptTokens, int contextTokens,
                     long timeToFirstTokenNanos, long totalNanos, long kvBytes, Decoding decoding,
                     DecodeStats speculation) {
    public Answer {
        tokenIds = List.copyOf(tokenIds);
        Objects.requireNonNull(decoding, "decoding");
        Objects.requireNonNull(speculation, "speculation");
    }

    /** Why generation ended. */
    public enum StopReason {
        /** An end-of-sequence or configured stop token. */
        STOP_TOKEN,
        /** The token limit. */
        MAX_TOKENS,
        /** Cut by the caller's latency limit, keeping the tokens generated so far. */
        DEADLINE
    }

    /** Decode speed after the first token, in tokens per second (0 when fewer than two tokens). */
    public double decodeTokensPerSecond() {
        int n = tokenIds.size();
        long decodeNanos = totalNanos - timeToFirstTokenNanos;
        return n < 2 || decodeNanos <= 0 ? 0 : (n - 1) * 1e9 / decodeNanos;
    }
}

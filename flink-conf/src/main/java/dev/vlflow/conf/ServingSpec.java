package dev.vlflow.conf;

import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;

/**
 * How one session operator shares its slot between answers (see {@link ServingOptions}).
 *
 * @param maxBatch          answers decoding together, one batched pass per step
 * @param maxQueued         questions waiting for a place in the batch; beyond it a question is rejected
 * @param streamTokenBudget the most tokens the answers of one stream in the batch may still generate together
 * @param maxAnswerLatency  an answer still generating this long after its question arrived is cut (zero: never)
 */
public record ServingSpec(int maxBatch, int maxQueued, int streamTokenBudget, Duration maxAnswerLatency)
        implements Serializable {
    public ServingSpec {
        Objects.requireNonNull(maxAnswerLatency, "maxAnswerLatency");
        if (maxBatch < 1 || maxQueued < 0 || streamTokenBudget < 1 || maxAnswerLatency.isNegative()) {
            throw new IllegalArgumentException("serving limits: max batch and stream token budget must be positive, "
                    + "max queued and max answer latency not negative (got " + maxBatch + ", " + streamTokenBudget
                    + ", " + maxQueued + ", " + maxAnswerLatency + ")");
        }
    }

    public static ServingSpec defaults() {
        return new ServingSpec(ServingOptions.MAX_BATCH.defaultValue(), ServingOptions.MAX_QUEUED.defaultValue(),
                ServingOptions.STREAM_TOKEN_BUDGET.defaultValue(), ServingOptions.MAX_ANSWER_LATENCY.defaultValue());
    }

    /** Whether answers are cut after {@link #maxAnswerLatency}. */
    public boolean cutsLateAnswers() {
        return !maxAnswerLatency.isZero();
    }
}

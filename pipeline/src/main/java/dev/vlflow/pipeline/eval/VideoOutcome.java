package dev.vlflow.pipeline.eval;

import java.util.List;

/** The result of evaluating one video. */
public sealed interface VideoOutcome permits VideoOutcome.Answered, VideoOutcome.Failed {

    String videoId();

    /**
     * Every question answered.
     *
     * @param prefixPrefills video prefixes this video's evaluation prefilled (counted at the
     *                       {@code appendFrames} calls): 1 with prefix sharing, one per question without
     * @param startMillis    when its evaluation started (epoch milliseconds)
     * @param endMillis      when it ended
     */
    record Answered(String videoId, List<Prediction> predictions, int prefixPrefills, long startMillis,
                    long endMillis) implements VideoOutcome {
        public Answered {
            predictions = List.copyOf(predictions);
        }
    }

    /** The video could not be evaluated (missing or unreadable file); nothing is logged, a rerun tries again. */
    record Failed(String videoId, String reason) implements VideoOutcome {
    }
}

package dev.vlflow.connectors.events;

import java.util.Optional;
import org.apache.flink.util.OutputTag;

/** The dead-letter side output every stage of the job writes bad inputs to, and how an entry is made. */
public final class DeadLetters {

    /** Side output of {@link PipelineError}s (one tag for every stage; they are merged into one sink). */
    public static final OutputTag<PipelineError> TAG = new OutputTag<>("vlflow.dead-letters", EventTypes.ERROR);

    private DeadLetters() {
    }

    /**
     * @param stage    hierarchical name of the rejecting operator, e.g. {@code /job/parse}
     * @param streamId the stream, when known
     * @param input    reference to the input (file:line, stream/sequence/uri, question id)
     */
    public static PipelineError error(ErrorKind kind, String stage, Optional<String> streamId, String reason,
                                      String input) {
        return PipelineError.newBuilder()
                .setKind(kind)
                .setStage(stage)
                .setStreamId(streamId.orElse(null))
                .setReason(reason)
                .setInput(input)
                .setTimestampMillis(System.currentTimeMillis())
                .build();
    }
}

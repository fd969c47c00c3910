package dev.vlflow.conf;

import static org.apache.flink.configuration.ConfigOptions.key;

import java.time.Duration;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ReadableConfig;

/** How a session operator shares its slot between the answers of its streams: {@code vlflow.serving.*}. */
public final class ServingOptions {

    public static final ConfigOption<Integer> MAX_BATCH = key("vlflow.serving.max-batch").intType().defaultValue(16)
            .withDescription("Answers of all streams in the slot decoding together: each step runs them as one "
                    + "batched pass (weights read once per step), attention per answer over its own cache. Answers "
                    + "join and leave between steps; segments, questions and checkpoints are handled between steps.");
    public static final ConfigOption<Integer> MAX_QUEUED = key("vlflow.serving.max-queued").intType()
            .defaultValue(256).withDescription("Questions waiting for a place in the batch; a question arriving "
                    + "when the queue is full goes to the dead letters (OVERLOADED).");
    public static final ConfigOption<Integer> STREAM_TOKEN_BUDGET = key("vlflow.serving.stream-token-budget")
            .intType().defaultValue(1024).withDescription("Fairness: the most tokens the answers of one stream in "
                    + "the batch may still generate together (their token limits minus tokens generated). A "
                    + "stream's next question waits while its answers would exceed it; questions of other streams "
                    + "go first. An answer alone always fits.");
    public static final ConfigOption<Duration> MAX_ANSWER_LATENCY = key("vlflow.serving.max-answer-latency")
            .durationType().defaultValue(Duration.ZERO).withDescription("An answer still generating this long after "
                    + "its question was admitted is cut, keeping its tokens, with stop reason DEADLINE (0: never).");

    private ServingOptions() {
    }

    public static ServingSpec read(ReadableConfig config) {
        return new ServingSpec(config.get(MAX_BATCH), config.get(MAX_QUEUED), config.get(STREAM_TOKEN_BUDGET),
                config.get(MAX_ANSWER_LATENCY));
    }
}

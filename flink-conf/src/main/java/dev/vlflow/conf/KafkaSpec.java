package dev.vlflow.conf;

import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;
import java.util.HashSet;
import java.util.List;

/**
 * Where the streaming job reads and writes Kafka (see {@link KafkaOptions}). Every topic carries Avro single-object
 * encoded records (layout in {@code dev.vlflow.connectors.kafka.EventCodec}).
 *
 * @param bootstrapServers      {@code host:port[,host:port...]} of the cluster
 * @param inputTopic            segments and questions ({@code InputRecord}), keyed by stream id
 * @param answersTopic          tokens then the answer of every question ({@code AnswerEvent}), keyed by stream id
 * @param deadLettersTopic      bad inputs with their reason ({@code PipelineError})
 * @param groupId               consumer group of the source (offsets are committed to it at checkpoints)
 * @param transactionalIdPrefix prefix of the sinks' transactional ids; unique per job on a cluster
 * @param transactionTimeout    producer transaction timeout; above the checkpoint interval, at most the broker's
 *                              {@code transaction.max.timeout.ms}
 * @param startingOffsets       where the source starts when the job starts without state
 * @param stop                  whether the source runs until cancelled or stops at the offsets found at start
 */
public record KafkaSpec(String bootstrapServers, String inputTopic, String answersTopic, String deadLettersTopic,
                        String groupId, String transactionalIdPrefix, Duration transactionTimeout,
                        StartingOffsets startingOffsets, Stop stop) implements Serializable {

    /** Where a source without state starts reading. */
    public enum StartingOffsets {
        /** The group's committed offsets; the earliest offsets of partitions it never committed. */
        COMMITTED,
        EARLIEST,
        LATEST
    }

    /** When the source ends. */
    public enum Stop {
        /** Never: the job runs until cancelled. */
        NEVER,
        /** At the latest offsets found when the job starts: the job answers what is there, commits and finishes. */
        AT_END
    }

    public KafkaSpec {
        Objects.requireNonNull(transactionTimeout, "transactionTimeout");
        Objects.requireNonNull(startingOffsets, "startingOffsets");
        Objects.requireNonNull(stop, "stop");
        nonBlank(bootstrapServers, KafkaOptions.BOOTSTRAP_SERVERS.key());
        nonBlank(inputTopic, KafkaOptions.INPUT_TOPIC.key());
        nonBlank(answersTopic, KafkaOptions.ANSWERS_TOPIC.key());
        nonBlank(deadLettersTopic, KafkaOptions.DEAD_LETTERS_TOPIC.key());
        nonBlank(groupId, KafkaOptions.GROUP_ID.key());
        nonBlank(transactionalIdPrefix, KafkaOptions.TRANSACTIONAL_ID_PREFIX.key());
        if (new HashSet<>(List.of(inputTopic, answersTopic, deadLettersTopic)).size() != 3) {
            throw new IllegalArgumentException("the input, answers and dead-letter topics must differ, got "
                    + inputTopic + ", " + answersTopic + ", " + deadLettersTopic);
        }
        if (transactionTimeout.isNegative() || transactionTimeout.isZero()) {
            throw new IllegalArgumentException(KafkaOptions.TRANSACTION_TIMEOUT.key() + " must be positive, got "
                    + transactionTimeout);
        }
    }

    private static void nonBlank(String value, String key) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(key + " must not be empty");
        }
    }
}

package dev.vlflow.conf;

import static org.apache.flink.configuration.ConfigOptions.key;

import java.time.Duration;
import java.util.Optional;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ReadableConfig;

/**
 * Kafka in and out of the streaming job: {@code vlflow.kafka.*}. Setting {@code vlflow.kafka.bootstrap-servers}
 * selects Kafka instead of JSONL files. The sinks are exactly-once (Kafka transactions committed at checkpoints), so
 * checkpointing must be on; readers of the output topics must use {@code isolation.level=read_committed}.
 */
public final class KafkaOptions {

    public static final ConfigOption<String> BOOTSTRAP_SERVERS = key("vlflow.kafka.bootstrap-servers").stringType()
            .noDefaultValue().withDescription("host:port[,host:port...] of the Kafka cluster; set, the job reads and "
                    + "writes Kafka topics instead of JSONL files.");
    public static final ConfigOption<String> INPUT_TOPIC = key("vlflow.kafka.input-topic").stringType()
            .defaultValue("vlflow.events").withDescription("Segments and questions: Avro InputRecord values, keyed "
                    + "by stream id (a stream's events then share a partition and keep their order).");
    public static final ConfigOption<String> ANSWERS_TOPIC = key("vlflow.kafka.answers-topic").stringType()
            .defaultValue("vlflow.answers").withDescription("Avro AnswerEvent values keyed by stream id: each "
                    + "question's tokens in order, then its Answer, in one partition.");
    public static final ConfigOption<String> DEAD_LETTERS_TOPIC = key("vlflow.kafka.dead-letters-topic").stringType()
            .defaultValue("vlflow.dead-letters").withDescription("Avro PipelineError values: every rejected input "
                    + "with its reason, keyed by stream id when known.");
    public static final ConfigOption<String> GROUP_ID = key("vlflow.kafka.group-id").stringType()
            .defaultValue("vlflow").withDescription("Consumer group of the input topic (offsets committed to it at "
                    + "checkpoints; Flink's checkpoint holds the offsets that count).");
    public static final ConfigOption<String> TRANSACTIONAL_ID_PREFIX = key("vlflow.kafka.transactional-id-prefix")
            .stringType().defaultValue("vlflow").withDescription("Prefix of the exactly-once sinks' transactional "
                    + "ids (suffixed -answers and -dead-letters). Unique per job on a Kafka cluster: two jobs with "
                    + "one prefix fence each other.");
    public static final ConfigOption<Duration> TRANSACTION_TIMEOUT = key("vlflow.kafka.transaction-timeout")
            .durationType().defaultValue(Duration.ofMinutes(10)).withDescription("Producer transaction timeout: "
                    + "longer than a checkpoint interval plus a restart, at most the broker's "
                    + "transaction.max.timeout.ms (15 min by default).");
    public static final ConfigOption<KafkaSpec.StartingOffsets> STARTING_OFFSETS =
            key("vlflow.kafka.starting-offsets").enumType(KafkaSpec.StartingOffsets.class)
                    .defaultValue(KafkaSpec.StartingOffsets.COMMITTED).withDescription("Where a job without state "
                            + "starts reading: committed (the group's offsets, else earliest), earliest or latest.");
    public static final ConfigOption<KafkaSpec.Stop> STOP = key("vlflow.kafka.stop").enumType(KafkaSpec.Stop.class)
            .defaultValue(KafkaSpec.Stop.NEVER).withDescription("never: run until cancelled; at_end: stop at the "
                    + "offsets found at start, answer what is there, commit and finish.");

    private KafkaOptions() {
    }

    /**
     * Kafka in/out when {@link #BOOTSTRAP_SERVERS} is set.
     *
     * @throws IllegalArgumentException when Kafka is selected but checkpointing is off, or the transaction timeout
     *                                  is not above the checkpoint interval
     */
    public static Optional<KafkaSpec> read(ReadableConfig config) {
        Optional<String> servers = config.getOptional(BOOTSTRAP_SERVERS);
        if (servers.isEmpty()) {
            return Optional.empty();
        }
        KafkaSpec spec = new KafkaSpec(servers.get(), config.get(INPUT_TOPIC), config.get(ANSWERS_TOPIC),
                config.get(DEAD_LETTERS_TOPIC), config.get(GROUP_ID), config.get(TRANSACTIONAL_ID_PREFIX),
                config.get(TRANSACTION_TIMEOUT), config.get(STARTING_OFFSETS), config.get(STOP));
        Duration interval = config.getOptional(CheckpointingOptions.CHECKPOINTING_INTERVAL).orElse(Duration.ZERO);
        if (interval.isZero() || interval.isNegative()) {
            throw new IllegalArgumentException("Kafka output is exactly-once and commits its transactions at "
                    + "checkpoints: set " + CheckpointingOptions.CHECKPOINTING_INTERVAL.key());
        }
        if (spec.transactionTimeout().compareTo(interval) <= 0) {
            throw new IllegalArgumentException(TRANSACTION_TIMEOUT.key() + " (" + spec.transactionTimeout()
                    + ") must be longer than " + CheckpointingOptions.CHECKPOINTING_INTERVAL.key() + " (" + interval
                    + "), or open transactions expire before they are committed");
        }
        return Optional.of(spec);
    }
}

package dev.vlflow.pipeline.stream;

import dev.vlflow.conf.KafkaSpec;
import java.util.Objects;

/**
 * Kafka in and out: segments and questions from the input topic, tokens and answers to the answers topic and dead
 * letters to theirs, exactly once (see {@code dev.vlflow.connectors.kafka.KafkaEvents} for the layout).
 *
 * @param kafka   brokers, topics, group and transactional ids
 * @param console also print answers as they stream (stdout) and dead letters (stderr)
 */
public record KafkaIo(KafkaSpec kafka, boolean console) implements JobIo {
    public KafkaIo {
        Objects.requireNonNull(kafka, "kafka");
    }
}

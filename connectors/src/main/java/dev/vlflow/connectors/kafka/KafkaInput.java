package dev.vlflow.connectors.kafka;

import java.util.Optional;

/**
 * One record of the input topic as it came, before decoding (so that a record that does not decode becomes a dead
 * letter with its coordinates instead of failing the source).
 *
 * @param topic     its topic
 * @param partition its partition
 * @param offset    its offset in the partition
 * @param key       its key as UTF-8 text (the stream id), null when the record has none
 * @param value     its value bytes, null for a record without value
 */
public record KafkaInput(String topic, int partition, long offset, String key, byte[] value) {

    /** {@code topic-partition@offset}, how dead letters refer to the input. */
    public String reference() {
        return topic + "-" + partition + "@" + offset;
    }

    public Optional<String> streamKey() {
        return Optional.ofNullable(key);
    }
}

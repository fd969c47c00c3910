package dev.vlflow.connectors.kafka;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * One event to one Kafka record: the value in single-object encoding ({@link EventCodec}), the key the event's
 * stream id as UTF-8 (Kafka's default partitioner then puts a stream's records in one partition, in order), no key
 * when the stream is unknown.
 */
final class EventRecordSerializer<T extends SpecificRecord> implements KafkaRecordSerializationSchema<T> {

    private static final long serialVersionUID = 1L;

    /** The stream an event belongs to. */
    interface StreamOf<T> extends Serializable {
        Optional<String> streamId(T event);
    }

    private final String topic;
    private final EventCodec<T> codec;
    private final StreamOf<T> streamOf;

    EventRecordSerializer(String topic, EventCodec<T> codec, StreamOf<T> streamOf) {
        this.topic = topic;
        this.codec = codec;
        this.streamOf = streamOf;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(T event, KafkaSinkContext context, Long timestamp) {
        byte[] key = streamOf.streamId(event).map(s -> s.getBytes(StandardCharsets.UTF_8)).orElse(null);
        return new ProducerRecord<>(topic, null, timestamp, key, codec.encode(event));
    }
}

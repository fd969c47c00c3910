package dev.vlflow.connectors.kafka;

import dev.vlflow.conf.KafkaSpec;
import dev.vlflow.connectors.events.Answer;
import dev.vlflow.connectors.events.AnswerEvent;
import dev.vlflow.connectors.events.AnswerToken;
import dev.vlflow.connectors.events.InputRecord;
import dev.vlflow.connectors.events.PipelineError;
import java.util.Optional;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * The job's Kafka edges, built from a {@link KafkaSpec}. Topic layout (values in {@link EventCodec}'s
 * single-object encoding, keys the stream id as UTF-8):
 * <pre>
 * input topic        InputRecord  {event: VideoSegment | Question}      key: stream id
 * answers topic      AnswerEvent  {event: AnswerToken  | Answer}        key: stream id
 * dead-letter topic  PipelineError                                      key: stream id, or none when unknown
 * </pre>
 * Tokens and answers share one topic so that "a question's tokens in order, then its answer" is a partition order
 * Kafka keeps. Both sinks are exactly-once: records are written in Kafka transactions committed when a checkpoint
 * completes, so readers see them with {@code isolation.level=read_committed} only after that checkpoint. The source
 * reads committed records only too.
 */
public final class KafkaEvents {

    private KafkaEvents() {
    }

    /** The input topic, as raw records that {@link DecodeEvents} turns into segments, questions and dead letters. */
    public static KafkaSource<KafkaInput> source(KafkaSpec spec) {
        KafkaSourceBuilder<KafkaInput> builder = KafkaSource.<KafkaInput>builder()
                .setBootstrapServers(spec.bootstrapServers())
                .setTopics(spec.inputTopic())
                .setGroupId(spec.groupId())
                .setStartingOffsets(startingOffsets(spec.startingOffsets()))
                .setDeserializer(new KafkaInputDeserializer())
                .setProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")
                .setProperty("client.id.prefix", spec.groupId() + "-source");
        if (spec.stop() == KafkaSpec.Stop.AT_END) {
            builder.setBounded(OffsetsInitializer.latest());
        }
        return builder.build();
    }

    /** Decodes the input topic's records. */
    public static DecodeEvents decoder(String stage) {
        return new DecodeEvents(stage, EventCodec.of(InputRecord.class));
    }

    /** Tokens and answers to the answers topic, exactly once. */
    public static KafkaSink<AnswerEvent> answerSink(KafkaSpec spec) {
        return sink(spec, "-answers", new EventRecordSerializer<>(spec.answersTopic(),
                EventCodec.of(AnswerEvent.class), KafkaEvents::streamOf));
    }

    /** Dead letters to their topic, exactly once. */
    public static KafkaSink<PipelineError> deadLetterSink(KafkaSpec spec) {
        return sink(spec, "-dead-letters", new EventRecordSerializer<>(spec.deadLettersTopic(),
                EventCodec.of(PipelineError.class), e -> Optional.ofNullable(e.getStreamId())));
    }

    private static <T extends org.apache.avro.specific.SpecificRecord> KafkaSink<T> sink(
            KafkaSpec spec, String suffix, EventRecordSerializer<T> serializer) {
        return KafkaSink.<T>builder()
                .setBootstrapServers(spec.bootstrapServers())
                .setRecordSerializer(serializer)
                .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                .setTransactionalIdPrefix(spec.transactionalIdPrefix() + suffix)
                .setProperty(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG,
                        Long.toString(spec.transactionTimeout().toMillis()))
                .build();
    }

    private static Optional<String> streamOf(AnswerEvent event) {
        Object e = event.getEvent();
        return Optional.of(e instanceof AnswerToken t ? t.getStreamId() : ((Answer) e).getStreamId());
    }

    private static OffsetsInitializer startingOffsets(KafkaSpec.StartingOffsets offsets) {
        return switch (offsets) {
            case COMMITTED -> OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST);
            case EARLIEST -> OffsetsInitializer.earliest();
            case LATEST -> OffsetsInitializer.latest();
        };
    }
}

package dev.vlflow.connectors.kafka;

import dev.vlflow.connectors.events.DeadLetters;
import dev.vlflow.connectors.events.ErrorKind;
import dev.vlflow.connectors.events.EventChecks;
import dev.vlflow.connectors.events.EventTypes;
import dev.vlflow.connectors.events.InputRecord;
import dev.vlflow.connectors.events.MalformedEventException;
import dev.vlflow.connectors.events.Question;
import dev.vlflow.connectors.events.VideoSegment;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Turns input topic records into events: segments on the main output, questions on {@link #QUESTIONS}, records that
 * do not decode or break the events' rules on {@link DeadLetters#TAG} (kind {@code MALFORMED_RECORD}, input
 * {@code topic-partition@offset}). A record whose key names another stream than its event is malformed too: the
 * key decides the partition, and a stream's events must share one to keep their order.
 */
public final class DecodeEvents extends ProcessFunction<KafkaInput, VideoSegment> {

    private static final long serialVersionUID = 1L;

    /** Questions, in partition order. */
    public static final OutputTag<Question> QUESTIONS = new OutputTag<>("vlflow.kafka.questions", EventTypes.QUESTION);

    private final String stage;
    private final EventCodec<InputRecord> codec;

    /** @param stage hierarchical operator name reported in dead letters, e.g. {@code /job/parse} */
    public DecodeEvents(String stage, EventCodec<InputRecord> codec) {
        this.stage = stage;
        this.codec = codec;
    }

    @Override
    public void processElement(KafkaInput record, Context ctx, Collector<VideoSegment> out) {
        try {
            Object event = codec.decode(record.value()).getEvent();
            if (event instanceof VideoSegment segment) {
                checkKey(record, segment.getStreamId());
                out.collect(EventChecks.check(segment));
            } else {
                Question question = (Question) event;
                checkKey(record, question.getStreamId());
                ctx.output(QUESTIONS, EventChecks.check(question));
            }
        } catch (MalformedEventException e) {
            ctx.output(DeadLetters.TAG, DeadLetters.error(ErrorKind.MALFORMED_RECORD, stage, record.streamKey(),
                    e.getMessage(), record.reference()));
        }
    }

    private static void checkKey(KafkaInput record, String streamId) throws MalformedEventException {
        if (record.key() != null && !record.key().equals(streamId)) {
            throw new MalformedEventException("the record's key '" + record.key() + "' is not its stream '"
                    + streamId + "' (key input records by stream id)");
        }
    }
}

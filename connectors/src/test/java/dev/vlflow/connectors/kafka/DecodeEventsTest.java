package dev.vlflow.connectors.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vlflow.connectors.events.DeadLetters;
import dev.vlflow.connectors.events.ErrorKind;
import dev.vlflow.connectors.events.InputRecord;
import dev.vlflow.connectors.events.PipelineError;
import dev.vlflow.connectors.events.Question;
import dev.vlflow.connectors.events.SamplingSpec;
import dev.vlflow.connectors.events.VideoSegment;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

/** Input topic records become segments, questions, or dead letters with a reason; nothing fails the job. */
@SuppressWarnings("try") // Flink's harnesses declare close() throws Exception
class DecodeEventsTest {

    private static final EventCodec<InputRecord> CODEC = EventCodec.of(InputRecord.class);

    @Test
    void routesSegmentsAndQuestions() throws Exception {
        VideoSegment segment = VideoSegment.newBuilder().setStreamId("cam").setSequence(0).setUri("v.mp4")
                .setEndSeconds(2.0).build();
        Question question = Question.newBuilder().setStreamId("cam").setQuestionId("q").setText("What?")
                .setAfterSegment(0L).setSampling(new SamplingSpec(0.7, 0.9, 3L)).build();
        try (var h = ProcessFunctionTestHarnesses.forProcessFunction(KafkaEvents.decoder("/test/decode"))) {
            h.processElement(input(0, "cam", CODEC.encode(new InputRecord(segment))), 0);
            h.processElement(input(1, null, CODEC.encode(new InputRecord(question))), 0);
            assertEquals(List.of(segment), h.extractOutputValues());
            assertEquals(List.of(question), h.getSideOutput(DecodeEvents.QUESTIONS).stream()
                    .map(StreamRecord::getValue).toList());
            assertTrue(h.getSideOutput(DeadLetters.TAG) == null || h.getSideOutput(DeadLetters.TAG).isEmpty());
        }
    }

    @Test
    void malformedRecordsBecomeDeadLettersWithTheirReason() throws Exception {
        byte[] good = CODEC.encode(new InputRecord(VideoSegment.newBuilder().setStreamId("cam").setSequence(1)
                .setUri("v.mp4").build()));
        byte[] unknownSchema = good.clone();
        unknownSchema[2] ^= 0x5a;                                           // another fingerprint
        Map<String, byte[]> bad = new LinkedHashMap<>();
        bad.put("no value", null);
        bad.put("not an Avro single-object", "{\"type\":\"segment\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        bad.put("does not know", unknownSchema);
        bad.put("truncated or corrupt", Arrays.copyOf(good, good.length - 4));
        bad.put("exactly one of 'uri' and 'data'", CODEC.encode(new InputRecord(VideoSegment.newBuilder()
                .setStreamId("cam").setSequence(2).setUri("v.mp4").setData(ByteBuffer.wrap(new byte[] {1})).build())));
        bad.put("'sequence' must be >= 0", CODEC.encode(new InputRecord(VideoSegment.newBuilder()
                .setStreamId("cam").setSequence(-1).setUri("v.mp4").build())));
        bad.put("'endSeconds' must be after", CODEC.encode(new InputRecord(VideoSegment.newBuilder()
                .setStreamId("cam").setSequence(3).setUri("v.mp4").setStartSeconds(2).setEndSeconds(1.0).build())));
        bad.put("'text' must not be empty", CODEC.encode(new InputRecord(Question.newBuilder()
                .setStreamId("cam").setQuestionId("q").setText(" ").build())));
        bad.put("'maxNewTokens' must be positive", CODEC.encode(new InputRecord(Question.newBuilder()
                .setStreamId("cam").setQuestionId("q").setText("t").setMaxNewTokens(0).build())));
        bad.put("topP in (0, 1]", CODEC.encode(new InputRecord(Question.newBuilder().setStreamId("cam")
                .setQuestionId("q").setText("t").setSampling(new SamplingSpec(1.0, 1.5, 0L)).build())));
        bad.put("is not its stream", CODEC.encode(new InputRecord(Question.newBuilder().setStreamId("other")
                .setQuestionId("q").setText("t").build())));
        try (var h = ProcessFunctionTestHarnesses.forProcessFunction(KafkaEvents.decoder("/test/decode"))) {
            long offset = 10;
            for (byte[] value : bad.values()) {
                h.processElement(input(offset++, "cam", value), 0);
            }
            assertTrue(h.extractOutputValues().isEmpty());
            List<PipelineError> errors = h.getSideOutput(DeadLetters.TAG).stream().map(StreamRecord::getValue)
                    .toList();
            assertEquals(bad.size(), errors.size());
            int i = 0;
            for (String reason : bad.keySet()) {
                PipelineError e = errors.get(i);
                assertEquals(ErrorKind.MALFORMED_RECORD, e.getKind());
                assertEquals("/test/decode", e.getStage());
                assertEquals("vlflow.events-1@" + (10 + i), e.getInput());
                assertEquals("cam", e.getStreamId());
                assertTrue(e.getReason().contains(reason), reason + " vs " + e.getReason());
                i++;
            }
        }
    }

    @Test
    void garbageOfEveryLengthIsRefusedNotThrown() throws Exception {
        java.util.Random random = new java.util.Random(15);
        byte[] good = CODEC.encode(new InputRecord(Question.newBuilder().setStreamId("cam").setQuestionId("q")
                .setText("What colour is the square?").build()));
        try (var h = ProcessFunctionTestHarnesses.forProcessFunction(KafkaEvents.decoder("/test/decode"))) {
            int records = 0;
            for (int length = 0; length <= good.length; length++) {
                byte[] prefix = Arrays.copyOf(good, length);                 // every truncation of a valid record
                h.processElement(input(records++, null, prefix), 0);
                byte[] flipped = good.clone();                               // one random byte of the body changed
                int at = 10 + random.nextInt(good.length - 10);
                flipped[at] = (byte) random.nextInt(256);
                h.processElement(input(records++, null, flipped), 0);
            }
            int decoded = h.getSideOutput(DecodeEvents.QUESTIONS) == null ? 0
                    : h.getSideOutput(DecodeEvents.QUESTIONS).size();
            int refused = h.getSideOutput(DeadLetters.TAG).size();
            assertEquals(records, decoded + refused, "every record is either an event or a dead letter");
            assertTrue(refused >= good.length + 1, "every truncation is refused");
        }
    }

    private static KafkaInput input(long offset, String key, byte[] value) {
        return new KafkaInput("vlflow.events", 1, offset, key, value);
    }
}

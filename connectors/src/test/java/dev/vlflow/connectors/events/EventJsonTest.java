package dev.vlflow.connectors.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class EventJsonTest {

    @Test
    void readsASegment() throws Exception {
        var e = EventJson.parse("{\"type\":\"segment\",\"stream\":\"cam-1\",\"sequence\":2,\"uri\":\"a.mp4\","
                + "\"start\":1.5,\"end\":3,\"frames\":4}");
        VideoSegment s = assertInstanceOf(InputEvent.Segment.class, e).segment();
        assertEquals("cam-1", s.getStreamId());
        assertEquals(2, s.getSequence());
        assertEquals("a.mp4", s.getUri());
        assertNull(s.getData());
        assertEquals(1.5, s.getStartSeconds());
        assertEquals(3.0, s.getEndSeconds());
        assertEquals(4, s.getFrames());
        assertEquals("cam-1", e.streamId());
    }

    @Test
    void readsAMinimalQuestion() throws Exception {
        Question q = assertInstanceOf(InputEvent.Ask.class,
                EventJson.parse("{\"type\":\"question\",\"stream\":\"s\",\"id\":\"q1\",\"text\":\"Why?\"}")).question();
        assertEquals(List.of(), q.getOptions());
        assertNull(q.getAfterSegment());
        assertNull(q.getMaxNewTokens());
        assertNull(q.getSampling());
    }

    @Test
    void segmentsAndQuestionsRoundTrip() throws Exception {
        VideoSegment inline = VideoSegment.newBuilder().setStreamId("s").setSequence(0).setUri(null)
                .setData(ByteBuffer.wrap(new byte[] {0, 1, 2, (byte) 255})).setStartSeconds(0).setEndSeconds(null)
                .setFrames(null).build();
        VideoSegment ranged = VideoSegment.newBuilder().setStreamId("s \u00e9").setSequence(9).setUri("x.mkv")
                .setData(null).setStartSeconds(2).setEndSeconds(4.25).setFrames(8).build();
        for (VideoSegment s : List.of(inline, ranged)) {
            assertEquals(s, ((InputEvent.Segment) EventJson.parse(EventJson.write(s))).segment());
        }
        Question q = Question.newBuilder().setStreamId("s").setQuestionId("q").setText("Which?\n\"quoted\"")
                .setOptions(List.of("A. red", "B. blue")).setAfterSegment(3L).setMaxNewTokens(16)
                .setSampling(new SamplingSpec(0.7, 0.9, 42L)).build();
        assertEquals(q, ((InputEvent.Ask) EventJson.parse(EventJson.write(q))).question());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "not json                                                                  | not JSON",
        "[1, 2]                                                                    | not a JSON object",
        "{\"type\":\"video\"}                                                      | unknown type 'video'",
        "{\"stream\":\"s\"}                                                        | missing field 'type'",
        "{\"type\":\"segment\",\"stream\":\"s\",\"uri\":\"a\"}                     | missing field 'sequence'",
        "{\"type\":\"segment\",\"stream\":\"s\",\"sequence\":-1,\"uri\":\"a\"}     | 'sequence' must be >= 0",
        "{\"type\":\"segment\",\"stream\":\"s\",\"sequence\":1.5,\"uri\":\"a\"}    | 'sequence' must be an integer",
        "{\"type\":\"segment\",\"stream\":\"\",\"sequence\":0,\"uri\":\"a\"}       | 'stream' must not be empty",
        "{\"type\":\"segment\",\"stream\":\"s\",\"sequence\":0}                    | exactly one of 'uri' and 'data'",
        "{\"type\":\"segment\",\"stream\":\"s\",\"sequence\":0,\"data\":\"%%\"}    | 'data' is not base64",
        "{\"type\":\"segment\",\"stream\":\"s\",\"sequence\":0,\"uri\":\"a\",\"start\":3,\"end\":2} | 'end' must be after",
        "{\"type\":\"segment\",\"stream\":\"s\",\"sequence\":0,\"uri\":\"a\",\"frames\":0} | 'frames' must be a positive",
        "{\"type\":\"segment\",\"stream\":\"s\",\"sequence\":0,\"url\":\"a\"}      | unknown field 'url'",
        "{\"type\":\"question\",\"stream\":\"s\",\"id\":\"q\"}                     | missing field 'text'",
        "{\"type\":\"question\",\"stream\":\"s\",\"id\":\"q\",\"text\":\"t\",\"options\":[1]} | array of strings",
        "{\"type\":\"question\",\"stream\":\"s\",\"id\":\"q\",\"text\":\"t\",\"sampling\":{\"temperature\":0}} | temperature > 0",
        "{\"type\":\"question\",\"stream\":\"s\",\"id\":\"q\",\"text\":\"t\",\"max_tokens\":0} | 'max_tokens' must be a positive"
    })
    void malformedRecordsSayWhatIsWrong(String line, String reason) {
        MalformedEventException e = assertThrows(MalformedEventException.class, () -> EventJson.parse(line.strip()));
        assertTrue(e.getMessage().contains(reason.strip()), e.getMessage());
    }

    @Test
    void outputsAreOneJsonObjectALine() {
        AnswerToken t = new AnswerToken("s", "q", 0, 17, "he\"llo\n");
        assertEquals("{\"type\":\"token\",\"stream\":\"s\",\"question\":\"q\",\"index\":0,\"token_id\":17,"
                + "\"text\":\"he\\\"llo\\n\"}", EventJson.write(new AnswerEvent(t)));
        PipelineError err = new PipelineError(ErrorKind.UNKNOWN_STREAM, "/job/session", null, "no segment", "q", 5L);
        assertEquals("{\"type\":\"error\",\"kind\":\"UNKNOWN_STREAM\",\"stage\":\"/job/session\",\"stream\":null,"
                + "\"reason\":\"no segment\",\"input\":\"q\",\"time_ms\":5}", EventJson.write(err));
    }
}

package dev.vlflow.connectors.source;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vlflow.connectors.events.DeadLetters;
import dev.vlflow.connectors.events.ErrorKind;
import dev.vlflow.connectors.events.PipelineError;
import dev.vlflow.connectors.events.Question;
import dev.vlflow.connectors.events.VideoSegment;
import java.nio.file.Path;
import java.util.List;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

@SuppressWarnings("try") // Flink's harnesses declare close() throws Exception
class ParseEventsTest {

    @Test
    void routesSegmentsQuestionsAndMalformedLines() throws Exception {
        try (var h = ProcessFunctionTestHarnesses.forProcessFunction(new ParseEvents("/test/parse"))) {
            h.processElement(new SourceLine("/data/in/events.jsonl", 1,
                    "{\"type\":\"segment\",\"stream\":\"s\",\"sequence\":0,\"uri\":\"clips/a.mp4\"}"), 0);
            h.processElement(new SourceLine("/data/in/events.jsonl", 2,
                    "{\"type\":\"segment\",\"stream\":\"s\",\"sequence\":1,\"uri\":\"http://host/b.mp4\"}"), 0);
            h.processElement(new SourceLine("/data/in/events.jsonl", 3,
                    "{\"type\":\"question\",\"stream\":\"s\",\"id\":\"q\",\"text\":\"t\"}"), 0);
            h.processElement(new SourceLine("/data/in/events.jsonl", 4, "{oops"), 0);

            List<VideoSegment> segments = h.extractOutputValues();
            assertEquals(List.of("/data/in/clips/a.mp4", "http://host/b.mp4"),
                    segments.stream().map(VideoSegment::getUri).toList());
            List<Question> questions = h.getSideOutput(ParseEvents.QUESTIONS).stream().map(StreamRecord::getValue)
                    .toList();
            assertEquals("q", questions.get(0).getQuestionId());
            List<PipelineError> errors = h.getSideOutput(DeadLetters.TAG).stream().map(StreamRecord::getValue)
                    .toList();
            assertEquals(1, errors.size());
            assertEquals(ErrorKind.MALFORMED_RECORD, errors.get(0).getKind());
            assertEquals("/data/in/events.jsonl:4", errors.get(0).getInput());
            assertEquals("/test/parse", errors.get(0).getStage());
        }
    }

    @Test
    void resolvesOnlyRelativePaths() {
        Path base = Path.of("/base");
        assertEquals("/base/x/y.mp4", ParseEvents.resolve("x/y.mp4", base));
        assertEquals("/abs.mp4", ParseEvents.resolve("/abs.mp4", base));
        assertEquals("rtsp://cam/live", ParseEvents.resolve("rtsp://cam/live", base));
        assertEquals("file:/a.mp4", ParseEvents.resolve("file:/a.mp4", base));
        assertEquals("concat:a.mp4|b.mp4", ParseEvents.resolve("concat:a.mp4|b.mp4", base));
        assertEquals("subfile,,start,0,end,9,,:a.mp4", ParseEvents.resolve("subfile,,start,0,end,9,,:a.mp4", base));
        assertEquals("pipe:0", ParseEvents.resolve("pipe:0", base));
        // '..' leaves the folder here; the video limits then refuse the path like a missing file
        assertEquals("/x.mp4", ParseEvents.resolve("../x.mp4", base));
    }
}

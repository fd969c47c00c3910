package dev.vlflow.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vlflow.pipeline.stream.DemoInputs;
import dev.vlflow.pipeline.stream.LocalRunner;
import dev.vlflow.pipeline.stream.StreamIo;
import dev.vlflow.pipeline.stream.StreamOutputs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad events go to the dead-letter output with their reason and input reference; the job goes on. */
class DeadLetterEndToEndTest {

    @TempDir
    Path temp;

    @Test
    void badEventsBecomeDeadLettersAndGoodOnesAreAnswered() throws Exception {
        StreamFixture fixture = new StreamFixture(temp);
        Path dir = Files.createDirectories(temp.resolve("input"));
        Files.writeString(dir.resolve("not-a-video.mp4"), "this is text, not a video\n");
        String video = fixture.video.toString();
        List<String> lines = List.of(
                "this is not json",                                                            // line 1
                "{\"type\":\"segment\",\"stream\":\"cam-1\",\"uri\":\"x.mp4\"}",               // 2: no sequence
                "{\"type\":\"question\",\"stream\":\"cam-1\",\"id\":\"q\",\"txt\":\"typo\"}",  // 3: unknown field
                DemoInputs.segment("cam-1", 0, video, 0, 2).line(),                             // 4
                "{\"type\":\"segment\",\"stream\":\"cam-2\",\"sequence\":0,\"uri\":\"missing.mp4\"}",
                "{\"type\":\"segment\",\"stream\":\"cam-3\",\"sequence\":0,\"uri\":\"not-a-video.mp4\"}",
                "{\"type\":\"question\",\"stream\":\"nobody\",\"id\":\"q0\",\"text\":\"Anyone?\"}",
                DemoInputs.ask("cam-1", "q1", "What colour is the square?", 0, 4).line(),
                DemoInputs.ask("cam-2", "q2", "Is the video there?", 0, 4).line(),
                DemoInputs.segment("cam-1", 0, video, 2, 4).line(),                             // duplicate sequence
                DemoInputs.ask("cam-1", "q3", "And now?", 7, 4).line());                        // never comes
        Files.write(dir.resolve("events.jsonl"), lines);
        StreamIo io = new StreamIo(dir, Optional.empty(), temp.resolve("out"), false);
        LocalRunner.run(fixture.configuration(temp.resolve("checkpoints")), io);

        StreamOutputs out = StreamOutputs.read(io);
        Map<String, String> kinds = out.deadLetters().stream().collect(Collectors.toMap(
                e -> e.get("input").asText().replaceAll("^.*/", ""), e -> e.get("kind").asText()));
        assertEquals("MALFORMED_RECORD", kinds.get("events.jsonl:1"));
        assertEquals("MALFORMED_RECORD", kinds.get("events.jsonl:2"));
        assertEquals("MALFORMED_RECORD", kinds.get("events.jsonl:3"));
        assertEquals("UNREADABLE_VIDEO", kinds.get("missing.mp4"));
        assertEquals("UNREADABLE_VIDEO", kinds.get("not-a-video.mp4"));
        assertEquals("UNKNOWN_STREAM", kinds.get("q0"));
        assertEquals("OUT_OF_ORDER", kinds.get("cam-1#0"));
        assertEquals("UNANSWERED", kinds.get("q3"));
        assertEquals(8, out.deadLetters().size(), () -> out.deadLetters().toString());
        for (JsonNode e : out.deadLetters()) {
            assertTrue(e.get("stage").asText().startsWith("/job/"), e.toString());
            assertTrue(!e.get("reason").asText().isBlank(), e.toString());
        }
        // The job went on: q1 over cam-1's video, q2 over a stream whose only segment could not be read.
        Map<String, JsonNode> answers = StreamFixture.byQuestion(out.answers());
        assertEquals(java.util.Set.of("q1", "q2"), answers.keySet());
        assertEquals(1, answers.get("q1").get("segments").asLong());
        assertEquals(StreamFixture.FRAMES, answers.get("q1").get("frames").asInt());
        assertEquals(0, answers.get("q2").get("frames").asInt());
    }
}

package dev.vlflow.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vlflow.cli.Main;
import dev.vlflow.pipeline.stream.DemoInputs;
import dev.vlflow.pipeline.stream.StreamIo;
import dev.vlflow.pipeline.stream.StreamOutputs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vlflow stream} over a user's JSONL file, with a relative video path and a configuration override. */
class StreamCommandTest {

    @TempDir
    Path temp;

    @Test
    void streamsAUsersEvents() throws Exception {
        StreamFixture fixture = new StreamFixture(temp);
        Path dir = Files.createDirectories(temp.resolve("events"));
        Files.copy(fixture.video, dir.resolve("clip.mp4"));
        Files.write(dir.resolve("mine.jsonl"), List.of(
                "{\"type\":\"segment\",\"stream\":\"door\",\"sequence\":0,\"uri\":\"clip.mp4\",\"end\":4}",
                "{\"type\":\"question\",\"stream\":\"door\",\"id\":\"who\",\"text\":\"Who is there?\",\"after\":0}"));
        Path out = temp.resolve("out");
        assertEquals(0, Main.run("stream", "--input", dir.resolve("mine.jsonl").toString(), "--output", out.toString(),
                "--model", fixture.model.toString(), "--quiet", "--conf", "vlflow.decoding.max-new-tokens=5",
                "--conf", "vlflow.video.frames-per-segment=2"));
        StreamOutputs outputs = StreamOutputs.read(new StreamIo(dir, Optional.empty(), out, false));
        assertTrue(outputs.deadLetters().isEmpty(), () -> outputs.deadLetters().toString());
        assertEquals(1, outputs.answers().size());
        var answer = outputs.answers().get(0);
        assertEquals("who", answer.get("question").asText());
        assertEquals(2, answer.get("frames").asInt());
        assertTrue(answer.get("statistics").get("tokens").asInt() <= 5);
    }
}

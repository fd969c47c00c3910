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
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        java.io.PrintStream stderr = System.err;
        System.setErr(new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            assertEquals(0, Main.run("stream", "--input", dir.resolve("mine.jsonl").toString(), "--output",
                    out.toString(), "--model", fixture.model.toString(), "--quiet", "--metrics", "PT1S", "--conf",
                    "vlflow.decoding.max-new-tokens=5", "--conf", "vlflow.video.frames-per-segment=2"));
        } finally {
            System.setErr(stderr);
        }
        // --metrics: the session operator's metrics, reported by Flink's metric system when the job ends
        String metrics = err.toString(java.nio.charset.StandardCharsets.UTF_8).lines()
                .filter(l -> l.startsWith("metrics ")).reduce((a, b) -> b).orElse("");
        assertTrue(metrics.contains("answers 1, tokens "), "metrics line: '" + metrics + "'");
        assertTrue(java.util.regex.Pattern.compile("tokens [1-5] .*prefill [1-9][0-9]* tokens").matcher(metrics)
                .find(), metrics);
        StreamOutputs outputs = StreamOutputs.read(new StreamIo(dir, Optional.empty(), out, false));
        assertTrue(outputs.deadLetters().isEmpty(), () -> outputs.deadLetters().toString());
        assertEquals(1, outputs.answers().size());
        var answer = outputs.answers().get(0);
        assertEquals("who", answer.get("question").asText());
        assertEquals(2, answer.get("frames").asInt());
        assertTrue(answer.get("statistics").get("tokens").asInt() <= 5);
    }
}

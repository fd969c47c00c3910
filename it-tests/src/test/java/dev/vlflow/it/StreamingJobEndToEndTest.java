package dev.vlflow.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vlflow.engine.Answer;
import dev.vlflow.engine.VlModel;
import dev.vlflow.pipeline.stream.DemoInputs;
import dev.vlflow.pipeline.stream.LocalRunner;
import dev.vlflow.pipeline.stream.StreamIo;
import dev.vlflow.pipeline.stream.StreamOutputs;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo's job on a MiniCluster (RocksDB state, parallelism 2, two streams in segments, questions asked while
 * they stream): every answer equals, token for token, the plain engine API's answer on the same inputs.
 */
class StreamingJobEndToEndTest {

    @TempDir
    static Path temp;
    private static StreamFixture fixture;

    @BeforeAll
    static void inputs() throws Exception {
        fixture = new StreamFixture(temp);
    }

    @Test
    void answersEqualThePlainEngineApiTokenForToken() throws Exception {
        Path input = DemoInputs.write(fixture.script, temp.resolve("input").resolve("events.jsonl"));
        StreamIo io = new StreamIo(input, Optional.empty(), temp.resolve("out"), false);
        LocalRunner.run(fixture.configuration(temp.resolve("checkpoints")), io);

        StreamOutputs out = StreamOutputs.read(io);
        assertTrue(out.deadLetters().isEmpty(), () -> out.deadLetters().toString());
        Map<String, JsonNode> answers = StreamFixture.byQuestion(out.answers());
        assertEquals(Map.of("q1", "cam-1", "q2", "cam-2", "q3", "cam-1", "q4", "cam-1"), answers.entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().get("stream").asText())));
        try (VlModel engine = fixture.load()) {
            for (JsonNode a : answers.values()) {
                String id = a.get("question").asText();
                var question = fixture.question(id);
                long segments = a.get("segments").asLong();
                assertEquals(question.getAfterSegment() + 1, segments, id + " answered right after its segment");
                Answer expected = fixture.reference(engine, question.getStreamId(), segments, question);
                assertEquals(expected.tokenIds(), StreamFixture.ids(a), id + " token ids");
                assertEquals(expected.text(), a.get("text").asText(), id + " text");
                assertEquals(expected.contextTokens(), a.get("statistics").get("context_tokens").asInt());
                // the streamed tokens of the answer spell its text, in order
                List<JsonNode> tokens = out.tokens().stream().filter(t -> t.get("question").asText().equals(id))
                        .sorted((x, y) -> Integer.compare(x.get("index").asInt(), y.get("index").asInt())).toList();
                assertEquals(expected.tokenIds().size(), tokens.size());
                assertEquals(expected.text(), tokens.stream().map(t -> t.get("text").asText())
                        .collect(Collectors.joining()));
            }
        }
    }
}

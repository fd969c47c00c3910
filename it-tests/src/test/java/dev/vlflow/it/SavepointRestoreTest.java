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
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stop the job with a savepoint mid-stream (two streams' caches in RocksDB state, a question waiting for a segment
 * that has not come yet), restore it, feed the rest of the stream: the answers equal those of an uninterrupted run
 * and of the plain engine API, and no question is answered twice.
 */
class SavepointRestoreTest {

    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration PATIENCE = Duration.ofMinutes(3);

    @TempDir
    Path temp;

    @Test
    void answersAfterARestoreEqualAnUninterruptedRun() throws Exception {
        StreamFixture fixture = new StreamFixture(temp);
        // Part 1: cam-1 segments 0-1 with q1, cam-2 segment 0, and q2 (cam-2, after segment 1), which must wait
        // in state across the savepoint. Part 2: the rest of both streams and q3, q4.
        List<DemoInputs.Event> script = new java.util.ArrayList<>(fixture.script);
        DemoInputs.Event q2 = script.remove(indexOf(script, "q2"));
        int cut = indexOf(script, "q1") + 1;
        script.add(cut++, q2);
        Path inbox = Files.createDirectories(temp.resolve("inbox"));
        StreamIo io = new StreamIo(inbox, Optional.of(POLL), temp.resolve("restored"), false);
        Configuration config = fixture.configuration(temp.resolve("checkpoints"));

        publish(script.subList(0, cut), inbox.resolve("part-1.jsonl"));
        JobClient first = LocalRunner.start(config, io);
        awaitAnswers(io, Set.of("q1"));
        String savepoint = first.stopWithSavepoint(false, temp.resolve("savepoints").toUri().toString(),
                SavepointFormatType.CANONICAL).get();
        assertEquals(Set.of("q1"), StreamFixture.byQuestion(StreamOutputs.read(io).answers()).keySet(),
                "q2 waits in state for cam-2's segment 1");

        publish(script.subList(cut, script.size()), inbox.resolve("part-2.jsonl"));
        Configuration restore = new Configuration(config);
        restore.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
        JobClient second = LocalRunner.start(restore, io);
        awaitAnswers(io, Set.of("q1", "q2", "q3", "q4"));
        second.cancel().get();

        StreamIo straight = new StreamIo(inbox, Optional.empty(), temp.resolve("uninterrupted"), false);
        LocalRunner.run(fixture.configuration(temp.resolve("checkpoints-2")), straight);

        Map<String, JsonNode> restored = StreamFixture.byQuestion(StreamOutputs.read(io).answers());
        Map<String, JsonNode> uninterrupted = StreamFixture.byQuestion(StreamOutputs.read(straight).answers());
        assertEquals(uninterrupted.keySet(), restored.keySet());
        assertTrue(StreamOutputs.read(io).deadLetters().isEmpty());
        try (VlModel engine = fixture.load()) {
            for (String id : uninterrupted.keySet()) {
                JsonNode a = restored.get(id);
                JsonNode b = uninterrupted.get(id);
                assertEquals(StreamFixture.ids(b), StreamFixture.ids(a), id + " token ids after restore");
                assertEquals(b.get("text").asText(), a.get("text").asText());
                assertEquals(b.get("segments").asLong(), a.get("segments").asLong());
                var q = fixture.question(id);
                Answer expected = fixture.reference(engine, q.getStreamId(), a.get("segments").asLong(), q);
                assertEquals(expected.tokenIds(), StreamFixture.ids(a), id + " against the engine API");
            }
        }
    }

    private static int indexOf(List<DemoInputs.Event> script, String questionId) {
        for (int i = 0; i < script.size(); i++) {
            if (script.get(i) instanceof DemoInputs.Ask a && a.question().getQuestionId().equals(questionId)) {
                return i;
            }
        }
        throw new IllegalArgumentException(questionId);
    }

    /** Writes a file under a hidden name, then renames it, so the watching source never sees half a file. */
    private static void publish(List<DemoInputs.Event> events, Path file) throws Exception {
        Path hidden = file.resolveSibling("." + file.getFileName());
        DemoInputs.write(events, hidden);
        Files.move(hidden, file, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Waits until the committed answers cover {@code ids} (they are committed by checkpoints). */
    private static void awaitAnswers(StreamIo io, Set<String> ids) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (System.nanoTime() < deadline) {
            if (StreamFixture.byQuestion(StreamOutputs.read(io).answers()).keySet().containsAll(ids)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("answers " + ids + " not committed within " + PATIENCE + "; got "
                + StreamFixture.byQuestion(StreamOutputs.read(io).answers()).keySet());
    }
}

package dev.vlflow.connectors.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vlflow.connectors.events.DeadLetters;
import dev.vlflow.connectors.events.ErrorKind;
import dev.vlflow.connectors.events.PipelineError;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A JSONL line over the record-size cap is skipped without being kept, and reported; the lines after it are read. */
@SuppressWarnings("try")
class RecordSizeLimitTest {

    @TempDir
    Path dir;

    @Test
    void aLineOverTheLimitIsCountedNotKept() throws Exception {
        String longLine = "{\"type\":\"question\",\"text\":\"" + "x".repeat(5000) + "\"}";
        Path file = Files.writeString(dir.resolve("in.jsonl"), "{\"a\":1}\n" + longLine + "\n{\"b\":2}\r\n",
                StandardCharsets.UTF_8);
        try (LineCursor cursor = new LineCursor(new JsonlFileSplit(file.toString(), 0, 0), 100)) {
            SourceLine first = cursor.next().orElseThrow();
            SourceLine second = cursor.next().orElseThrow();
            SourceLine third = cursor.next().orElseThrow();
            assertFalse(first.overLimit());
            assertEquals("{\"a\":1}", first.text());
            assertTrue(second.overLimit());
            assertEquals(longLine.length(), second.overLimitBytes());
            assertEquals("", second.text());
            assertEquals(2, second.line());
            assertEquals("{\"b\":2}", third.text());
            assertEquals(3, third.line());
            assertTrue(cursor.next().isEmpty());
            assertEquals(Files.size(file), cursor.position().offset(), "the cursor moved past the long line");
        }
        // exactly at the limit is fine
        try (LineCursor cursor = new LineCursor(new JsonlFileSplit(file.toString(), 0, 0), 7)) {
            assertEquals("{\"a\":1}", cursor.next().orElseThrow().text());
        }
    }

    @Test
    void theSourcePassesOverLimitLinesOnAndReadsOn() throws Exception {
        Path in = Files.createDirectories(dir.resolve("in"));
        Files.writeString(in.resolve("a.jsonl"), "short\n" + "y".repeat(100) + "\n\nafter\n");
        org.apache.flink.streaming.api.environment.StreamExecutionEnvironment env =
                org.apache.flink.streaming.api.environment.StreamExecutionEnvironment.createLocalEnvironment(1);
        dev.vlflow.connectors.sink.LineEncoder<SourceLine> encoder = l -> l.line() + " " + l.overLimitBytes() + " "
                + l.text();
        env.fromSource(JsonlSource.of(in).withMaxLineBytes(16),
                        org.apache.flink.api.common.eventtime.WatermarkStrategy.noWatermarks(), "source")
                .sinkTo(new dev.vlflow.connectors.sink.JsonlFileSink<>(dir.resolve("out"), "lines", encoder));
        env.execute("record size limit");
        List<String> out = new java.util.ArrayList<>();
        try (var files = Files.list(dir.resolve("out"))) {
            for (Path f : files.sorted().toList()) {
                out.addAll(Files.readAllLines(f));
            }
        }
        assertEquals(List.of("1 0 short", "2 100 ", "4 0 after"), out);
    }

    @Test
    void anOverLimitLineIsADeadLetter() throws Exception {
        try (var h = ProcessFunctionTestHarnesses.forProcessFunction(new ParseEvents("/test/parse"))) {
            h.processElement(new SourceLine("/data/in/events.jsonl", 7, "", 20_000_000), 0);
            List<PipelineError> errors = h.getSideOutput(DeadLetters.TAG).stream().map(StreamRecord::getValue)
                    .toList();
            assertEquals(1, errors.size());
            assertEquals(ErrorKind.OVER_LIMIT, errors.get(0).getKind());
            assertEquals("/data/in/events.jsonl:7", errors.get(0).getInput());
            assertTrue(errors.get(0).getReason().contains("20000000 bytes"), errors.get(0).getReason());
            assertTrue(h.extractOutputValues().isEmpty());
        }
    }
}

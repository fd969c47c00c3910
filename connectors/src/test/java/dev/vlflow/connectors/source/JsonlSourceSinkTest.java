package dev.vlflow.connectors.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vlflow.connectors.sink.JsonlFileSink;
import dev.vlflow.connectors.sink.LineEncoder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The JSONL directory source into the JSONL file sink on a MiniCluster: every line once, in file order. */
class JsonlSourceSinkTest {

    @TempDir
    Path temp;

    @Test
    void linesFlowThroughInOrderExactlyOnce() throws Exception {
        Path in = Files.createDirectories(temp.resolve("in"));
        Files.write(in.resolve("b.jsonl"), List.of("b1", "", "b2 \u00e9", "b3"));
        Files.write(in.resolve("a.jsonl"), List.of("a1", "a2"));
        Files.write(in.resolve(".hidden.jsonl"), List.of("hidden"));
        Files.write(in.resolve("_pending.jsonl"), List.of("pending"));
        Files.write(in.resolve("notes.txt"), List.of("not jsonl"));
        Files.writeString(in.resolve("c.jsonl"), "c1\r\nc2"); // CRLF, no final newline

        Configuration config = new Configuration();
        config.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, java.time.Duration.ofMillis(200));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1, config);
        LineEncoder<SourceLine> encoder = l -> l.reference().replaceAll("^.*/", "") + " " + l.text();
        env.fromSource(JsonlSource.of(in), WatermarkStrategy.noWatermarks(), "source")
                .sinkTo(new JsonlFileSink<>(temp.resolve("out"), "lines", encoder));
        env.execute("jsonl round trip");

        List<String> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(temp.resolve("out"))) {
            for (Path f : files.sorted().toList()) {
                assertTrue(!f.getFileName().toString().startsWith("."), "no in-progress part left: " + f);
                out.addAll(Files.readAllLines(f));
            }
        }
        assertEquals(List.of("a.jsonl:1 a1", "a.jsonl:2 a2", "b.jsonl:1 b1", "b.jsonl:3 b2 \u00e9", "b.jsonl:4 b3",
                "c.jsonl:1 c1", "c.jsonl:2 c2"), out);
    }
}

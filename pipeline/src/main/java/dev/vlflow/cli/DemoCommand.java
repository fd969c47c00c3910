package dev.vlflow.cli;

import dev.vlflow.conf.DecodingOptions;
import dev.vlflow.pipeline.stream.ConsoleLogging;
import dev.vlflow.pipeline.stream.DemoInputs;
import dev.vlflow.pipeline.stream.LocalRunner;
import dev.vlflow.pipeline.stream.RunConfiguration;
import dev.vlflow.pipeline.stream.StreamIo;
import dev.vlflow.pipeline.stream.StreamOutputs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.apache.flink.configuration.CheckpointingOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code vlflow demo}: the streaming job on an embedded MiniCluster with bundled inputs: the tiny random model and
 * a synthetic video (made under {@code .vlflow/} when missing), fed as two streams of segments with questions asked
 * while they stream; answers are printed token by token with their statistics.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Runs the streaming job on an embedded Flink MiniCluster: a generated video fed in segments, "
                + "questions asked while it streams, answers printed token by token.")
final class DemoCommand implements Callable<Integer> {

    @Option(names = "--max-tokens", defaultValue = "24", description = "tokens per answer (default ${DEFAULT-VALUE})")
    int maxTokens;

    @Option(names = "--conf", description = "configuration override key=value (repeatable)")
    Map<String, String> conf = new LinkedHashMap<>();

    @Option(names = "--parallelism", defaultValue = "1", description = "operator parallelism (default 1)")
    int parallelism;

    /** The repository root the launcher passes ({@code -Dvlflow.home}), else the working directory. */
    static Path home() {
        return Path.of(System.getProperty("vlflow.home", ".")).toAbsolutePath().normalize();
    }

    @Override
    public Integer call() throws Exception {
        ConsoleLogging.configure();
        Path state = home().resolve(".vlflow");
        Path modelDir = state.resolve("models").resolve("tiny-random");
        Path demo = state.resolve("demo");
        long start = System.nanoTime();
        boolean madeModel = DemoInputs.ensureModel(modelDir);
        Path video = demo.resolve("video").resolve("demo.mp4");
        boolean madeVideo = DemoInputs.ensureVideo(video);
        System.out.printf(Locale.ROOT, "model: %s (%s)%n", modelDir, madeModel ? "made now" : "present");
        System.out.printf(Locale.ROOT, "video: %s (%d s synthetic: a red square crosses, a blue circle appears at "
                + "4 s; %s)%n", video, DemoInputs.VIDEO_SECONDS, madeVideo ? "made now" : "present");

        List<DemoInputs.Event> script = DemoInputs.script(video, maxTokens);
        Path input = DemoInputs.write(script, demo.resolve("input").resolve("events.jsonl"));
        System.out.println("events (" + input + "), in the order the job reads them:");
        for (DemoInputs.Event e : script) {
            if (e instanceof DemoInputs.Segment s) {
                System.out.printf(Locale.ROOT, "  segment %s#%d  %.0f-%.0f s%n", s.segment().getStreamId(),
                        s.segment().getSequence(), s.segment().getStartSeconds(), s.segment().getEndSeconds());
            } else if (e instanceof DemoInputs.Ask a) {
                System.out.printf(Locale.ROOT, "  question %s/%s after segment %d: %s%n", a.question().getStreamId(),
                        a.question().getQuestionId(), a.question().getAfterSegment(), a.question().getText());
            }
        }

        Path output = demo.resolve("output");
        deleteTree(output);
        Map<String, String> overrides = new LinkedHashMap<>();
        overrides.put(DecodingOptions.MAX_NEW_TOKENS.key(), Integer.toString(maxTokens));
        // The answer files are committed by the checkpoint that follows them (the last one when the input ends).
        overrides.put(CheckpointingOptions.CHECKPOINTING_INTERVAL.key(), "1 s");
        overrides.putAll(conf);
        var configuration = RunConfiguration.of(Optional.empty(), overrides, Optional.of(modelDir), parallelism,
                output.resolve("checkpoints"));
        StreamIo io = new StreamIo(input, Optional.empty(), output, true);
        System.out.println();
        System.out.println("running the streaming job on an embedded Flink MiniCluster (RocksDB keyed state; "
                + "answers stream as they are generated):");
        long jobStart = System.nanoTime();
        LocalRunner.run(configuration, io);
        double jobSeconds = (System.nanoTime() - jobStart) / 1e9;

        StreamOutputs outputs = StreamOutputs.read(io);
        System.out.println();
        System.out.printf(Locale.ROOT, "%d answers (%d tokens), %d dead letters; job %.1f s, demo %.1f s%n",
                outputs.answers().size(), outputs.tokens().size(), outputs.deadLetters().size(), jobSeconds,
                (System.nanoTime() - start) / 1e9);
        System.out.println("answers: " + io.answers() + "   dead letters: " + io.deadLetters());
        System.out.println("(the tiny model has random weights: it proves the machinery, not answer quality)");
        return outputs.answers().size() == 4 ? 0 : 1;
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}

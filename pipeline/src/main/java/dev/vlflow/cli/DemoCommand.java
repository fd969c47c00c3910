package dev.vlflow.cli;

import dev.vlflow.conf.DecodingOptions;
import dev.vlflow.pipeline.dataset.Scene;
import dev.vlflow.pipeline.stream.ConsoleLogging;
import dev.vlflow.pipeline.stream.DemoInputs;
import dev.vlflow.pipeline.stream.LocalRunner;
import dev.vlflow.pipeline.stream.RunConfiguration;
import dev.vlflow.pipeline.stream.SceneDemo;
import dev.vlflow.pipeline.stream.StreamIo;
import dev.vlflow.pipeline.stream.StreamOutputs;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.flink.configuration.CheckpointingOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code vlflow demo}: the streaming job on an embedded MiniCluster with bundled inputs: the {@code tiny-trained}
 * checkpoint and one scene of the synthetic Video-MME set (both made under {@code .vlflow/} when missing), fed as two
 * streams of segments (a 1 fps live feed and the whole video at once, 8 frames each); the scene's questions are asked
 * after each stream's last segment, as the evaluation asks them and as bare questions; answers are printed token by
 * token with their statistics, then graded against the data set's answers (see {@link SceneDemo}).
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Runs the streaming job on an embedded Flink MiniCluster: the tiny-trained model, a synthetic "
                + "Video-MME scene fed in segments on two streams, its questions asked after the last segment, "
                + "answers printed token by token and checked against the data set's answers.")
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
        Path modelDir = state.resolve("models").resolve(SceneDemo.MODEL.cliName());
        Path demo = state.resolve("demo");
        long start = System.nanoTime();
        boolean madeModel = SceneDemo.ensureModel(modelDir);
        Scene scene = SceneDemo.scene();
        Path video = demo.resolve("video").resolve("scene-" + SceneDemo.SEED + "-" + scene.videoId() + ".mp4");
        boolean madeVideo = SceneDemo.ensureVideo(scene, video);
        System.out.printf(Locale.ROOT, "model: %s (%s from %s)%n", modelDir, madeModel ? "made now" : "present",
                SceneDemo.repositoryCopy());
        System.out.printf(Locale.ROOT, "video: %s (%s)%n", video, madeVideo ? "made now" : "present");
        System.out.printf(Locale.ROOT, "  synthetic Video-MME scene %s of seed %d: %d s, %dx%d at %.0f fps, %s%n",
                scene.videoId(), SceneDemo.SEED, scene.seconds(), scene.width(), scene.height(), scene.fps(),
                SceneDemo.describe(scene));

        SceneDemo.Script script = SceneDemo.script(scene, video, maxTokens);
        Path input = DemoInputs.write(script.events(), demo.resolve("input").resolve("events.jsonl"));
        System.out.println("events (" + input + "), in the order the job reads them:");
        for (DemoInputs.Event e : script.events()) {
            if (e instanceof DemoInputs.Segment s) {
                System.out.printf(Locale.ROOT, "  segment %s#%d  %.0f-%.0f s, %d frame(s)%n",
                        s.segment().getStreamId(), s.segment().getSequence(), s.segment().getStartSeconds(),
                        s.segment().getEndSeconds(), s.segment().getFrames());
            } else if (e instanceof DemoInputs.Ask a) {
                SceneDemo.Asked q = script.asked().stream().filter(x -> x.question() == a.question()).findFirst()
                        .orElseThrow();
                System.out.printf(Locale.ROOT, "  question %s/%s after segment %d: %s%n", a.question().getStreamId(),
                        a.question().getQuestionId(), a.question().getAfterSegment(),
                        q.form() == SceneDemo.Form.LETTER ? "[official Video-MME prompt] " + q.source().question()
                                + " " + String.join(" ", q.source().options()) : a.question().getText());
            }
        }

        Path output = demo.resolve("output");
        SceneDemo.deleteTree(output);
        Map<String, String> overrides = new LinkedHashMap<>();
        overrides.put(DecodingOptions.MAX_NEW_TOKENS.key(), Integer.toString(maxTokens));
        // The answer files are committed by the checkpoint that follows them (the last one when the input ends).
        overrides.put(CheckpointingOptions.CHECKPOINTING_INTERVAL.key(), "1 s");
        // The demo's video and events live under .vlflow/demo: the job may read videos from there only.
        overrides.put(dev.vlflow.conf.InputOptions.FILE_ROOTS.key(), demo.toAbsolutePath().toString());
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
        System.out.println();
        int correct = 0;
        int answered = 0;
        for (SceneDemo.Asked q : script.asked()) {
            Optional<String> reply = SceneDemo.reply(q, outputs.answers());
            boolean right = reply.isPresent() && q.correct(reply.get());
            answered += reply.isPresent() ? 1 : 0;
            correct += right ? 1 : 0;
            String got = reply.map(r -> "\"" + r.strip() + "\"").orElse("(no answer)");
            if (reply.isPresent() && q.form() == SceneDemo.Form.LETTER) {
                got += " -> " + q.graded(reply.get());
            }
            System.out.printf(Locale.ROOT, "  %s %s/%s: %s   expected: %s%n", right ? "ok   " : "WRONG",
                    q.question().getStreamId(), q.question().getQuestionId(), got, q.expected());
        }
        System.out.printf(Locale.ROOT, "demo: %d/%d answers correct%n", correct, script.asked().size());
        return answered == script.asked().size() && outputs.deadLetters().isEmpty() ? 0 : 1;
    }
}

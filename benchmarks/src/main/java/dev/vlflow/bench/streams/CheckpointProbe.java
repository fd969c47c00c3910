package dev.vlflow.bench.streams;

import dev.vlflow.bench.Runs;
import dev.vlflow.conf.DecodingOptions;
import dev.vlflow.conf.VideoOptions;
import dev.vlflow.pipeline.stream.DemoInputs;
import dev.vlflow.pipeline.stream.LocalRunner;
import dev.vlflow.pipeline.stream.RunConfiguration;
import dev.vlflow.pipeline.stream.StreamIo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;

/**
 * How long a checkpoint takes while the session operator is generating answers, against the same job idle: the
 * streaming job on an embedded MiniCluster follows an input directory; its streams' segments are prefilled, native
 * savepoints (a checkpoint's barrier path, triggered on demand) are timed while idle; then every stream asks a long
 * question and savepoints are timed while the answers generate; the answers written by then are counted (fewer than
 * the streams: the savepoints did not wait for them) and the job is cancelled.
 */
final class CheckpointProbe {

    /** Savepoint durations idle and busy (ms), and the answers the job emitted in the busy phase. */
    record Result(List<Double> idleMs, List<Double> busyMs, int answers, int streams) {
    }

    private CheckpointProbe() {
    }

    static Result measure(Path model, Path work, int streams, int maxTokens, int savepoints) throws Exception {
        Path video = work.resolve("video").resolve("demo.mp4");
        DemoInputs.ensureVideo(video);
        Path input = freshFolder(work.resolve("input"));
        Path output = freshFolder(work.resolve("output"));
        List<DemoInputs.Event> segments = new ArrayList<>();
        for (int s = 0; s < streams; s++) {
            segments.add(DemoInputs.segment("cam-" + s, 0, video.toAbsolutePath().toString(), 0, 4, 1));
        }
        DemoInputs.write(segments, input.resolve("0-segments.jsonl"));
        Configuration config = RunConfiguration.of(Optional.empty(), Map.of(
                VideoOptions.FRAMES_PER_SEGMENT.key(), "1",
                DecodingOptions.MAX_NEW_TOKENS.key(), Integer.toString(maxTokens),
                "execution.checkpointing.interval", "1 h",
                "vlflow.input.file-roots", work.toAbsolutePath().toString()), Optional.of(model), 1,
                work.resolve("checkpoints"));
        StreamIo io = new StreamIo(input, Optional.of(Duration.ofMillis(100)), output, false);
        JobClient job = LocalRunner.start(config, io);
        try {
            // idle: after the segments (a savepoint completes once they are prefilled: they are ahead of its barrier)
            firstSavepoint(job, work);
            List<Double> idle = new ArrayList<>();
            for (int i = 0; i < savepoints; i++) {
                idle.add(savepoint(job, work));
            }
            List<DemoInputs.Event> questions = new ArrayList<>();
            for (int s = 0; s < streams; s++) {
                questions.add(DemoInputs.ask("cam-" + s, "long", "Describe everything that happens in the video.",
                        0, maxTokens));
            }
            DemoInputs.write(questions, input.resolve("1-questions.jsonl"));
            Thread.sleep(500); // the directory is polled every 100 ms; the questions are prefilled and admitted
            List<Double> busy = new ArrayList<>();
            for (int i = 0; i < savepoints; i++) {
                busy.add(savepoint(job, work));
            }
            return new Result(idle, busy, finishedAnswers(output.resolve("answers")), streams);
        } finally {
            job.cancel().get();
        }
    }

    /** The first savepoint, retried while the job's tasks are still being deployed. */
    private static void firstSavepoint(JobClient job, Path work) throws Exception {
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (true) {
            try {
                savepoint(job, work);
                return;
            } catch (java.util.concurrent.ExecutionException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(200);
            }
        }
    }

    private static double savepoint(JobClient job, Path work) throws Exception {
        long t0 = System.nanoTime();
        job.triggerSavepoint(work.resolve("savepoints").toAbsolutePath().toUri().toString(),
                SavepointFormatType.NATIVE).get();
        return (System.nanoTime() - t0) / 1e6;
    }

    /**
     * Answers the sink has written, committed or still in progress (an answer line carries its {@code token_ids}):
     * fewer than the streams means the busy savepoints ran while answers were generating.
     */
    private static int finishedAnswers(Path answers) throws IOException {
        if (!Files.isDirectory(answers)) {
            return 0;
        }
        int n = 0;
        try (var files = Files.list(answers)) {
            for (Path f : files.toList()) {
                n += (int) Files.readAllLines(f).stream().filter(l -> l.contains("\"token_ids\"")).count();
            }
        }
        return n;
    }

    private static Path freshFolder(Path dir) throws IOException {
        return Files.createDirectories(Runs.fresh(dir));
    }
}

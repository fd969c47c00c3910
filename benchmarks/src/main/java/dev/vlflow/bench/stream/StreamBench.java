package dev.vlflow.bench.stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vlflow.conf.DecodingOptions;
import dev.vlflow.conf.KvOptions;
import dev.vlflow.conf.ModelSpec;
import dev.vlflow.conf.VideoOptions;
import dev.vlflow.connectors.events.Question;
import dev.vlflow.connectors.events.VideoSegment;
import dev.vlflow.engine.Answer;
import dev.vlflow.engine.GenerationOptions;
import dev.vlflow.engine.TokenListener;
import dev.vlflow.engine.VlModel;
import dev.vlflow.engine.VlSession;
import dev.vlflow.kv.CacheShape;
import dev.vlflow.operators.frames.SegmentFrames;
import dev.vlflow.operators.frames.SegmentReader;
import dev.vlflow.operators.model.EngineSettings;
import dev.vlflow.operators.session.KvPages;
import dev.vlflow.pipeline.stream.DemoInputs;
import dev.vlflow.pipeline.stream.LocalRunner;
import dev.vlflow.pipeline.stream.RunConfiguration;
import dev.vlflow.pipeline.stream.StreamIo;
import dev.vlflow.pipeline.stream.StreamOutputs;
import dev.vlflow.vision.VideoLimits;
import dev.vlflow.vision.preprocess.Preprocessor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code vlflow bench stream}: the same workload (streams of video segments, a question after each) through the
 * Flink job on an embedded MiniCluster and through the engine API directly, measured in one run; and the keyed
 * state a stream holds against an fp16 cache of the same tokens.
 *
 * <p>The Flink job's fixed cost (MiniCluster start, deployment, model load in {@code open()}, final checkpoint,
 * teardown) is measured by running the job on an input with no events, and reported apart from the processing
 * overhead: {@code (job - empty job) / engine}.
 */
@Command(name = "stream", mixinStandardHelpOptions = true,
        description = "Streaming job vs engine API on the same workload (wall-time ratio), and state bytes per "
                + "stream vs fp16.")
public final class StreamBench implements Callable<Integer> {

    @Option(names = "--model", description = "checkpoint directory (default: the tiny random model, made in --out)")
    Path model;

    @Option(names = "--streams", defaultValue = "2", description = "streams (default ${DEFAULT-VALUE})")
    int streams;

    @Option(names = "--segments", defaultValue = "8", description = "segments per stream (default ${DEFAULT-VALUE})")
    int segments;

    @Option(names = "--frames", defaultValue = "4", description = "frames per segment (default ${DEFAULT-VALUE})")
    int frames;

    @Option(names = "--max-tokens", defaultValue = "32", description = "tokens per answer (default ${DEFAULT-VALUE})")
    int maxTokens;

    @Option(names = "--page-tokens", defaultValue = "64", description = "tokens per KV state page")
    int pageTokens;

    @Option(names = "--repeat", defaultValue = "3", description = "measured runs of each (default ${DEFAULT-VALUE})")
    int repeat;

    @Option(names = "--out", defaultValue = "bench-stream", description = "work directory")
    Path out;

    @Option(names = "--json", description = "end with one line: the JSON figures")
    boolean json;

    @Override
    public Integer call() throws Exception {
        Path modelDir = model != null ? model : out.resolve("tiny-random");
        if (model == null) {
            DemoInputs.ensureModel(modelDir);
        }
        Path video = out.resolve("video").resolve("demo.mp4");
        DemoInputs.ensureVideo(video);
        StreamWorkload work = StreamWorkload.of(video.toAbsolutePath(), streams, segments, frames, maxTokens);
        Path input = DemoInputs.write(work.events(), out.resolve("input").resolve("events.jsonl"));
        Path empty = Files.createDirectories(out.resolve("empty-input"));

        Configuration config = configuration(modelDir);
        StreamIo emptyIo = new StreamIo(empty, Optional.empty(), out.resolve("run-empty"), false);
        StreamIo io = new StreamIo(input, Optional.empty(), out.resolve("run-flink"), false);
        timed(() -> LocalRunner.run(config, new StreamIo(empty, Optional.empty(), fresh(out.resolve("warm-up")),
                false))); // JVM and Flink warm-up, not counted
        List<Double> emptyRuns = new ArrayList<>();
        List<Double> flinkRuns = new ArrayList<>();
        for (int r = 0; r < repeat; r++) {
            fresh(emptyIo.output());
            emptyRuns.add(timed(() -> LocalRunner.run(config, emptyIo)));
            fresh(io.output());
            flinkRuns.add(timed(() -> LocalRunner.run(config, io)));
        }

        Map<String, List<Integer>> engineAnswers = new HashMap<>();
        List<Double> engineRuns = new ArrayList<>();
        CacheShape shape;
        try (VlModel engine = VlModel.load(modelDir, EngineSettings.engineOptions(ModelSpec.cpu(modelDir.toString())))) {
            shape = engine.cacheShape();
            SegmentReader reader = new SegmentReader(Preprocessor.forModel(modelDir), VideoLimits.defaults());
            for (int r = 0; r <= repeat; r++) { // the first pass warms the engine up and is not counted
                double seconds = timed(() -> engineRun(engine, reader, work, engineAnswers));
                if (r > 0) {
                    engineRuns.add(seconds);
                }
            }
        }

        StreamOutputs outputs = StreamOutputs.read(io);
        Map<String, List<Integer>> flinkAnswers = new HashMap<>();
        Map<String, Integer> lastContext = new HashMap<>();
        for (JsonNode a : outputs.answers()) {
            List<Integer> ids = new ArrayList<>();
            a.get("token_ids").forEach(n -> ids.add(n.asInt()));
            flinkAnswers.put(a.get("stream").asText() + "/" + a.get("question").asText(), ids);
            lastContext.merge(a.get("stream").asText(), a.get("statistics").get("context_tokens").asInt(), Math::max);
        }
        boolean identical = flinkAnswers.equals(engineAnswers);
        int tokens = lastContext.values().stream().mapToInt(Integer::intValue).max().orElse(0);
        long stateBytes = KvPages.stateBytes(shape, tokens, pageTokens) + 41; // + session metadata
        long fp16Bytes = (long) tokens * shape.layers() * 2L * shape.tokenWidth() * 2L;

        double emptySeconds = median(emptyRuns);
        double flinkSeconds = median(flinkRuns);
        double engineSeconds = median(engineRuns);
        double processing = flinkSeconds - emptySeconds;
        System.out.printf(Locale.ROOT, "workload: %d streams x %d segments x %d frames, a %d-token answer after each "
                + "segment (%d answers); model %s%n", streams, segments, frames, maxTokens, streams * segments,
                modelDir);
        System.out.printf(Locale.ROOT, "%-44s %10s   (median of %d runs after a warm-up)%n", "", "seconds", repeat);
        System.out.printf(Locale.ROOT, "%-44s %10.2f%n", "engine API (read, encode, prefill, answer)", engineSeconds);
        System.out.printf(Locale.ROOT, "%-44s %10.2f%n", "Flink job, whole run", flinkSeconds);
        System.out.printf(Locale.ROOT, "%-44s %10.2f%n", "Flink job on no events (fixed cost)", emptySeconds);
        System.out.printf(Locale.ROOT, "%-44s %10.2f%n", "Flink job minus fixed cost", processing);
        System.out.printf(Locale.ROOT, "processing overhead: %.2fx the engine API (%+.0f%%); whole run %.2fx; "
                + "answers identical: %s%n", processing / engineSeconds, 100 * (processing / engineSeconds - 1),
                flinkSeconds / engineSeconds, identical);
        System.out.printf(Locale.ROOT, "state per stream: %d tokens/layer in %d-token pages = %.1f KiB (float32) vs "
                + "%.1f KiB fp16 cache: %.2fx%n", tokens, pageTokens, stateBytes / 1024.0, fp16Bytes / 1024.0,
                (double) stateBytes / fp16Bytes);
        if (json) {
            ObjectNode o = new ObjectMapper().createObjectNode();
            o.put("streams", streams).put("segments", segments).put("frames", frames).put("max_tokens", maxTokens)
                    .put("engine_seconds", engineSeconds).put("flink_seconds", flinkSeconds)
                    .put("flink_fixed_seconds", emptySeconds).put("processing_ratio", processing / engineSeconds)
                    .put("whole_run_ratio", flinkSeconds / engineSeconds).put("answers_identical", identical)
                    .put("state_tokens", tokens).put("state_bytes_per_stream", stateBytes)
                    .put("fp16_bytes_per_stream", fp16Bytes).put("state_vs_fp16", (double) stateBytes / fp16Bytes);
            System.out.println(o);
        }
        return identical ? 0 : 1;
    }

    /** The workload through the engine API: per stream one session, per segment read, encode, append, ask. */
    private void engineRun(VlModel engine, SegmentReader reader, StreamWorkload work,
                           Map<String, List<Integer>> answers) throws Exception {
        for (int s = 0; s < streams; s++) {
            String stream = "cam-" + s;
            VlSession session = engine.openSession();
            List<VideoSegment> segs = work.segmentsOf(stream);
            List<Question> questions = work.questionsOf(stream);
            for (int i = 0; i < segs.size(); i++) {
                SegmentFrames f = reader.read(segs.get(i), frames);
                session.appendFrames(engine.encodeFrames(f.pixels(), f.frames()));
                Answer a = session.ask(questions.get(i).getText(), GenerationOptions.greedy(maxTokens),
                        TokenListener.none());
                answers.put(stream + "/" + questions.get(i).getQuestionId(), a.tokenIds());
            }
        }
    }

    /** Work that may throw. */
    @FunctionalInterface
    private interface Work {
        void run() throws Exception;
    }

    private static double timed(Work work) throws Exception {
        long start = System.nanoTime();
        work.run();
        return (System.nanoTime() - start) / 1e9;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private Configuration configuration(Path modelDir) {
        Map<String, String> conf = new HashMap<>();
        conf.put(VideoOptions.FRAMES_PER_SEGMENT.key(), Integer.toString(frames));
        conf.put(DecodingOptions.MAX_NEW_TOKENS.key(), Integer.toString(maxTokens));
        conf.put(KvOptions.PAGE_TOKENS.key(), Integer.toString(pageTokens));
        conf.put(CheckpointingOptions.CHECKPOINTING_INTERVAL.key(), "200 ms");
        return RunConfiguration.of(Optional.empty(), conf, Optional.of(modelDir), 1, out.resolve("checkpoints"));
    }

    private static Path fresh(Path dir) throws java.io.IOException {
        if (Files.exists(dir)) {
            try (var files = Files.walk(dir)) {
                for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        return dir;
    }
}

package dev.vlflow.bench.stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vlflow.bench.Runs;
import dev.vlflow.conf.DecodingOptions;
import dev.vlflow.conf.KvOptions;
import dev.vlflow.conf.KvSpec;
import dev.vlflow.conf.ModelSpec;
import dev.vlflow.conf.VideoOptions;
import dev.vlflow.connectors.events.Question;
import dev.vlflow.connectors.events.VideoSegment;
import dev.vlflow.engine.Answer;
import dev.vlflow.engine.SessionState;
import dev.vlflow.engine.GenerationOptions;
import dev.vlflow.engine.TokenListener;
import dev.vlflow.engine.VlModel;
import dev.vlflow.engine.VlSession;
import dev.vlflow.kv.CacheShape;
import dev.vlflow.kv.KvCache;
import dev.vlflow.kv.PagedKvCache;
import dev.vlflow.kv.PagedKvCacheParts;
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

    @Option(names = "--kv", defaultValue = "fp32", description = "KV cache precision, kept in state in it: fp32, "
            + "16, 8, 4, 2, mixed:H/L (default ${DEFAULT-VALUE})")
    String kv;

    @Option(names = "--group-size", defaultValue = "32", description = "quantization group (default ${DEFAULT-VALUE})")
    int groupSize;

    @Option(names = "--fp-window", defaultValue = "128", description = "recent tokens a quantized cache keeps in fp32 "
            + "(default ${DEFAULT-VALUE})")
    int fpWindow;

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
        timed(() -> LocalRunner.run(config, new StreamIo(empty, Optional.empty(), Runs.fresh(out.resolve("warm-up")),
                false))); // JVM and Flink warm-up, not counted
        List<Double> emptyRuns = new ArrayList<>();
        List<Double> flinkRuns = new ArrayList<>();
        for (int r = 0; r < repeat; r++) {
            Runs.fresh(emptyIo.output());
            emptyRuns.add(timed(() -> LocalRunner.run(config, emptyIo)));
            Runs.fresh(io.output());
            flinkRuns.add(timed(() -> LocalRunner.run(config, io)));
        }

        Map<String, List<Integer>> engineAnswers = new HashMap<>();
        Map<String, KvCache> engineCaches = new HashMap<>();
        List<Double> engineRuns = new ArrayList<>();
        CacheShape shape;
        try (VlModel engine = VlModel.load(modelDir, EngineSettings.engineOptions(ModelSpec.cpu(modelDir.toString())))) {
            shape = engine.cacheShape();
            SegmentReader reader = new SegmentReader(Preprocessor.forModel(modelDir), VideoLimits.defaults());
            for (int r = 0; r <= repeat; r++) { // the first pass warms the engine up and is not counted
                double seconds = timed(() -> engineRun(engine, reader, work, engineAnswers, engineCaches));
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
        // what the job's state holds for the longest stream: its pages (float32, or the quantized cache's own
        // page blobs and layer tails, computed from the engine's identical cache), + 41 bytes of session metadata
        Optional<PagedKvCache> quantized = engineCaches.values().stream().filter(c -> c.size(0) == tokens)
                .findFirst().filter(c -> c instanceof PagedKvCache).map(c -> (PagedKvCache) c);
        long stateBytes = 41 + quantized.map(PagedKvCacheParts::bytes)
                .orElse(KvPages.stateBytes(shape, tokens, pageTokens));
        // a quantized cache's state: layer tails, fp32 rows (window and staging tokens), quantized pages
        long tailBytes = 0;
        long rowBytes = 0;
        long pageBytes = 0;
        long quantizedTokens = 0;
        if (quantized.isPresent()) {
            for (int l = 0; l < shape.layers(); l++) {
                var parts = PagedKvCacheParts.delta(quantized.get(), l, null);
                tailBytes += parts.tail().length;
                rowBytes += parts.rows().values().stream().mapToLong(b -> b.length).sum();
                pageBytes += parts.pages().values().stream().mapToLong(b -> b.length).sum();
                quantizedTokens += java.util.Arrays.stream(quantized.get().storedBits(l)).filter(b -> b < 32).count();
            }
        }
        double pagesVsFp16 = quantizedTokens == 0 ? 0 : pageBytes / (quantizedTokens * 2.0 * shape.tokenWidth() * 2);
        long fp16Bytes = (long) tokens * shape.layers() * 2L * shape.tokenWidth() * 2L;

        double emptySeconds = Runs.median(emptyRuns);
        double flinkSeconds = Runs.median(flinkRuns);
        double engineSeconds = Runs.median(engineRuns);
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
        System.out.printf(Locale.ROOT, "state per stream: %d tokens/layer in %d-token pages = %.1f KiB (kv %s%s) vs "
                + "%.1f KiB fp16 cache: %.2fx%n", tokens, pageTokens, stateBytes / 1024.0, kv,
                kvSpec().quantized() ? ", group " + groupSize + ", fp32 window " + fpWindow : "",
                fp16Bytes / 1024.0, (double) stateBytes / fp16Bytes);
        if (quantized.isPresent()) {
            System.out.printf(Locale.ROOT, "  of which layer tails %.1f KiB, fp32 rows (window and staging) %.1f KiB, "
                    + "quantized pages %.1f KiB for %d token-layers = %.2fx their fp16 size%n", tailBytes / 1024.0,
                    rowBytes / 1024.0, pageBytes / 1024.0, quantizedTokens, pagesVsFp16);
        }
        if (json) {
            ObjectNode o = new ObjectMapper().createObjectNode();
            o.put("streams", streams).put("segments", segments).put("frames", frames).put("max_tokens", maxTokens)
                    .put("engine_seconds", engineSeconds).put("flink_seconds", flinkSeconds)
                    .put("flink_fixed_seconds", emptySeconds).put("processing_ratio", processing / engineSeconds)
                    .put("whole_run_ratio", flinkSeconds / engineSeconds).put("answers_identical", identical)
                    .put("kv", kv).put("state_tokens", tokens).put("state_bytes_per_stream", stateBytes)
                    .put("fp16_bytes_per_stream", fp16Bytes).put("state_tail_bytes", tailBytes)
                    .put("state_row_bytes", rowBytes)
                    .put("state_page_bytes", pageBytes).put("pages_vs_fp16", pagesVsFp16).put("state_vs_fp16", (double) stateBytes / fp16Bytes);
            System.out.println(o);
        }
        return identical ? 0 : 1;
    }

    /** The workload through the engine API: per stream one session, per segment read, encode, append, ask. */
    private void engineRun(VlModel engine, SegmentReader reader, StreamWorkload work,
                           Map<String, List<Integer>> answers, Map<String, KvCache> caches) throws Exception {
        var cacheConfig = EngineSettings.cacheConfig(kvSpec());
        for (int s = 0; s < streams; s++) {
            String stream = "cam-" + s;
            VlSession session = cacheConfig.map(c -> engine.resumeSession(new PagedKvCache(engine.cacheShape(), c),
                    new SessionState(0, 0))).orElseGet(engine::openSession);
            caches.put(stream, session.cache());
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


    private Configuration configuration(Path modelDir) {
        Map<String, String> conf = new HashMap<>();
        conf.put(VideoOptions.FRAMES_PER_SEGMENT.key(), Integer.toString(frames));
        conf.put(DecodingOptions.MAX_NEW_TOKENS.key(), Integer.toString(maxTokens));
        conf.put(KvOptions.PAGE_TOKENS.key(), Integer.toString(pageTokens));
        conf.put(KvOptions.PRECISION.key(), kv);
        conf.put(KvOptions.GROUP_SIZE.key(), Integer.toString(groupSize));
        conf.put(KvOptions.FP_WINDOW.key(), Integer.toString(fpWindow));
        conf.put(CheckpointingOptions.CHECKPOINTING_INTERVAL.key(), "200 ms");
        conf.put("vlflow.input.file-roots", out.toAbsolutePath().toString()); // its video and events live there
        return RunConfiguration.of(Optional.empty(), conf, Optional.of(modelDir), 1, out.resolve("checkpoints"));
    }

    private KvSpec kvSpec() {
        return KvSpec.unbounded(pageTokens).withPrecision(kv, groupSize, fpWindow);
    }

}

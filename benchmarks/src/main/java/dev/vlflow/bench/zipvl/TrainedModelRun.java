package dev.vlflow.bench.zipvl;

import dev.vlflow.conf.ModelSpec;
import dev.vlflow.conf.ZipVlSpec;
import dev.vlflow.engine.VlModel;
import dev.vlflow.engine.VlSession;
import dev.vlflow.engine.zipvl.ZipVlStats;
import dev.vlflow.kv.CacheShape;
import dev.vlflow.operators.model.EngineSettings;
import dev.vlflow.pipeline.eval.EvalOptions;
import dev.vlflow.pipeline.eval.EvalRequest;
import dev.vlflow.pipeline.eval.PlainEvalRunner;
import dev.vlflow.pipeline.eval.RunResult;
import dev.vlflow.pipeline.eval.VisionFrameSamplers;
import dev.vlflow.pipeline.progress.ProgressDisplay;
import dev.vlflow.vision.Dedup;
import dev.vlflow.vision.Frames;
import dev.vlflow.vision.SamplingPolicy;
import dev.vlflow.vision.VideoLimits;
import dev.vlflow.vision.VideoSampler;
import dev.vlflow.vision.VideoSource;
import dev.vlflow.vision.preprocess.Preprocessor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Stream;

/**
 * ZipVL on the trained model: held-out accuracy dense vs ZipVL through the evaluation's own path
 * ({@link PlainEvalRunner}: same prompts, sampling and scoring as {@code eval videomme}), and the adaptive kept ratio
 * per layer and whole-cache bytes from the video prefills of the held-out videos.
 */
final class TrainedModelRun {

    /**
     * @param frames        frames per video
     * @param accuracyDense percent, dense prefill, fp32 cache
     * @param accuracyZipVl percent, ZipVL with the mixed 4/2 cache
     * @param stats         ZipVL over the videos' prefills
     * @param kvBytes       whole-cache bytes after the videos' prefills, summed over videos
     * @param fp16Bytes     what an fp16 cache of the same tokens holds
     */
    record Figures(int frames, double accuracyDense, double accuracyZipVl, ZipVlStats stats, long kvBytes,
                   long fp16Bytes) {
        double kvCompression() {
            return (double) fp16Bytes / kvBytes;
        }
    }

    private final Path model;
    private final Path data;
    private final Path out;
    private final ZipVlSpec zipvl;
    private final ProgressDisplay display;

    TrainedModelRun(Path model, Path data, Path out, ZipVlSpec zipvl, ProgressDisplay display) {
        this.display = display;
        this.model = model;
        this.data = data;
        this.out = out;
        this.zipvl = zipvl;
    }

    Figures run(int frames, int statVideos) throws Exception {
        return run(frames, statVideos, true);
    }

    /** @param withDense whether the dense accuracy is measured too (NaN otherwise) */
    Figures run(int frames, int statVideos, boolean withDense) throws Exception {
        double dense = withDense ? accuracy(frames, ZipVlSpec.off()) : Double.NaN;
        double sparse = accuracy(frames, zipvl);
        ModelSpec spec = ModelSpec.cpu(model.toString()).withZipVl(zipvl);
        try (VlModel vl = VlModel.load(model, EngineSettings.engineOptions(spec))) {
            ZipVlStats stats = ZipVlStats.empty(vl.config().text().numHiddenLayers());
            long kv = 0;
            long fp16 = 0;
            for (Path video : videos(statVideos)) {
                Frames f = VideoSampler.sample(VideoSource.parse(video.toString()),
                        new SamplingPolicy.Uniform(frames, Dedup.off()), Preprocessor.forModel(model),
                        VideoLimits.defaults());
                VlSession session = vl.openSession();
                session.appendFrames(vl.encodeFrames(f.pixels(), f.frames()));
                stats = stats.plus(session.zipVlStats().orElseThrow());
                kv += session.kvBytes();
                fp16 += fp16Bytes(vl.cacheShape(), session.contextTokens());
            }
            return new Figures(frames, dense, sparse, stats, kv, fp16);
        }
    }

    /** Bytes of an fp16 cache of {@code tokens} tokens: K and V, 2 bytes per element, every layer. */
    static long fp16Bytes(CacheShape shape, long tokens) {
        return tokens * shape.layers() * 2L * shape.tokenWidth() * 2L;
    }

    private double accuracy(int frames, ZipVlSpec z) throws Exception {
        String name = (z instanceof ZipVlSpec.On on ? "zipvl" + (on.dropAfter() > 0 ? "-drop" + on.dropAfter() : "")
                + (on.questionProbes() ? "-question" : "") : "dense") + "-" + frames + "f";
        Path runOut = out.resolve(name);
        EvalOptions options = new EvalOptions(frames, false, EvalOptions.defaults().prompt(), !z.questionProbes(), 16)
                .withZipVl(z);
        EvalRequest request = new EvalRequest(data.resolve("videomme.json"), data.resolve("video"), Optional.empty(),
                model, options, OptionalInt.empty(), runOut, 1, Optional.of(name), java.util.Set.of(),
                EvalRequest.ExistingRun.OVERWRITE); // a fresh run, not a resumed one
        ModelSpec spec = ModelSpec.cpu(model.toString()).withZipVl(z);
        try (VlModel vl = VlModel.load(model, EngineSettings.engineOptions(spec))) {
            RunResult r = new PlainEvalRunner(new VisionFrameSamplers(), System.err, display).run(request, vl);
            return r.official().overall().percent();
        }
    }

    private List<Path> videos(int n) throws Exception {
        try (Stream<Path> s = Files.list(data.resolve("video"))) {
            return s.filter(p -> p.toString().endsWith(".mp4")).sorted().limit(n).toList();
        }
    }
}

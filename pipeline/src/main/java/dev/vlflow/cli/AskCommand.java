package dev.vlflow.cli;

import dev.vlflow.conf.ZipVlSpec;
import dev.vlflow.engine.Answer;
import dev.vlflow.engine.TokenListener;
import dev.vlflow.engine.FrameEmbeddings;
import dev.vlflow.engine.EngineOptions;
import dev.vlflow.engine.quant.WeightPrecision;
import dev.vlflow.engine.GenerationOptions;
import dev.vlflow.engine.KvCacheFactory;
import dev.vlflow.engine.VlModel;
import dev.vlflow.engine.VlSession;
import dev.vlflow.pipeline.stream.SceneDemo;
import dev.vlflow.engine.onnx.ExecutionProvider;
import dev.vlflow.engine.zipvl.ZipVlOptions;
import dev.vlflow.engine.zipvl.ZipVlStats;
import dev.vlflow.kv.KvCacheConfig;
import dev.vlflow.kv.PrecisionPolicy;
import dev.vlflow.operators.model.EngineSettings;
import dev.vlflow.vision.Dedup;
import dev.vlflow.vision.Frames;
import dev.vlflow.vision.SamplingPolicy;
import dev.vlflow.vision.VideoException;
import dev.vlflow.vision.VideoLimits;
import dev.vlflow.vision.VideoSampler;
import dev.vlflow.vision.VideoSource;
import dev.vlflow.vision.preprocess.Preprocessor;
import dev.vlflow.vision.preprocess.ResizeMethod;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code vlflow ask}: one question about one video file or URL, the answer streamed as it is generated. */
@Command(name = "ask", mixinStandardHelpOptions = true,
        description = "Ask a question about a video file or URL and stream the answer.")
public final class AskCommand implements Callable<Integer> {

    @Option(names = "--model", description = "checkpoint directory (default: tiny-trained, the make-model"
            + " --preset tiny-trained copy that demo uses, made if missing)")
    Path model;

    @Option(names = "--video", required = true, description = "video file, or http(s)/rtsp URL")
    String video;

    @Option(names = "--question", required = true, description = "the question")
    String question;

    @ArgGroup(exclusive = true)
    FrameChoice sampling = new FrameChoice();

    static final class FrameChoice {
        @Option(names = "--frames", description = "sample N frames uniformly over the video (default 8)")
        Integer frames;

        @Option(names = "--fps", description = "sample at F frames per second (at most --max-frames)")
        Double fps;
    }

    @Option(names = "--resize", defaultValue = "hf", description = "frame resizing: hf (torchvision's antialiased "
            + "bicubic, as Hugging Face's processors) or opencv (faster, not antialiased) (default ${DEFAULT-VALUE})")
    String resize;

    @Option(names = "--max-frames", defaultValue = "64", description = "cap for --fps sampling (default ${DEFAULT-VALUE})")
    int maxFrames;

    @Option(names = "--max-tokens", defaultValue = "64", description = "most tokens in the answer (default ${DEFAULT-VALUE})")
    int maxTokens;

    @Option(names = "--temperature", description = "sample at this temperature (default: greedy)")
    Double temperature;

    @Option(names = "--top-p", defaultValue = "0.9", description = "nucleus mass when sampling (default ${DEFAULT-VALUE})")
    double topP;

    @Option(names = "--seed", defaultValue = "0", description = "seed when sampling (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--provider", defaultValue = "cpu", description = "ONNX Runtime execution provider: cpu or cuda")
    String provider;

    @Option(names = "--kv",
            description = "KV cache precision: fp32, 16, 8, 4, 2, mixed (4/2 by attention mass) or mixed:H/L@TAU "
                    + "(default fp32, or mixed with --zipvl)")
    String kv;

    @Option(names = "--zipvl", arity = "0..1", fallbackValue = "on", defaultValue = "off",
            description = "ZipVL sparse prefill: off, on (tau 0.975, 64 + 64 probes, layer 0 dense) or on:TAU "
                    + "(default ${DEFAULT-VALUE}; --zipvl alone is on)")
    String zipvl;

    @Option(names = "--zipvl-ratio", description = "ZipVL: keep this share of tokens per sparse layer instead of "
            + "the adaptive count")
    Double zipvlRatio;

    @Option(names = "--zipvl-dense-layers", split = ",", description = "ZipVL: layers kept dense (default 0)")
    List<Integer> zipvlDenseLayers;

    @Option(names = "--zipvl-probes", defaultValue = "chunk", description = "ZipVL: what ranks the video tokens: "
            + "chunk (each prefill chunk's last rows; the video is prefilled before the question) or question (the "
            + "question's rows: header, frames and question prefilled as one block, as in the ZipVL paper) "
            + "(default ${DEFAULT-VALUE})")
    String zipvlProbes;

    @Option(names = "--zipvl-drop", description = "ZipVL with progressive token dropping (lossy): a video token "
            + "unimportant in K consecutive layers leaves the later layers (from layer 2, at most 90%% per layer)")
    Integer zipvlDrop;

    @Option(names = "--weights", defaultValue = "fp32", description = "precision of the decoder's linear layers "
            + "and LM head: fp32, int8 or int4, quantized at load (default ${DEFAULT-VALUE})")
    String weights;

    @Option(names = "--system-prompt", description = "a system message before the question (e.g. \"You are a helpful assistant.\")")
    String systemPrompt;

    @picocli.CommandLine.Mixin
    DecodingFlags decoding = new DecodingFlags();

    /** tiny-trained in the workspace, as {@code demo} keeps it (copied again when the repository's copy changed). */
    static Path defaultModel() throws IOException {
        Path dir = ModelDirs.workspace().resolve("models").resolve(SceneDemo.MODEL.cliName());
        if (SceneDemo.ensureModel(dir)) {
            System.err.println("vlflow: made the " + SceneDemo.MODEL.cliName() + " model in " + dir);
        }
        return dir;
    }

    @Override
    public Integer call() throws IOException {
        PrintStream out = System.out;
        WeightPrecision weightPrecision = WeightPrecision.parse(weights); // before any work: a typo fails at once
        ResizeMethod resizeMethod = ResizeMethod.parse(resize);
        Path dir = model != null ? model : defaultModel();
        SamplingPolicy policy = sampling.fps != null
                ? new SamplingPolicy.Fps(sampling.fps, maxFrames, Dedup.off())
                : new SamplingPolicy.Uniform(sampling.frames != null ? sampling.frames : 8, Dedup.off());
        Frames frames;
        try {
            frames = VideoSampler.sample(VideoSource.parse(video), policy, Preprocessor.forModel(dir, resizeMethod),
                    VideoLimits.defaults());
        } catch (VideoException e) {
            System.err.println("vlflow: cannot read " + video + ": " + e.getMessage());
            return 2;
        }
        if (frames.frames() == 0) {
            System.err.println("vlflow: no frames could be sampled from " + video);
            return 2;
        }
        Optional<ZipVlOptions> zip = zipVlOptions();
        String precision = kv != null ? kv : zip.isPresent() ? "mixed" : "fp32";
        EngineOptions options = EngineOptions.defaults().withProvider(provider(provider))
                .withKvCache(KvCacheFactory.of(KvCacheConfig.of(PrecisionPolicy.parse(precision))))
                .withZipVl(zip).withWeights(weightPrecision);
        if (systemPrompt != null) {
            options = options.withSystemPrompt(systemPrompt);
        }
        try (VlModel vl = VlModel.load(dir, options)) {
            long t0 = System.nanoTime();
            VlSession session = vl.openSession();
            FrameEmbeddings embeddings = vl.encodeFrames(frames.pixels(), frames.frames());
            boolean wholePrompt = questionProbes(zip);
            if (!wholePrompt) {
                session.appendFrames(embeddings);
            }
            double prefillSeconds = (System.nanoTime() - t0) / 1e9;
            out.printf(Locale.ROOT, wholePrompt ? "video: %d frames sampled (%s), %d video tokens, prefilled with "
                            + "the question (ZipVL question probes)%n" : "video: %d frames sampled (%s), %d context "
                            + "tokens, prefilled in %.2f s%n", frames.frames(), policy,
                    wholePrompt ? embeddings.tokens() : session.contextTokens(), prefillSeconds);
            out.println("Q: " + question);
            out.print("A: ");
            out.flush();
            TokenListener print = (i, id, text) -> {
                out.print(text);
                out.flush();
            };
            Answer answer = wholePrompt ? session.askWholePrompt(embeddings, question, generation(), print)
                    : session.ask(question, generation(), print);
            out.println();
            out.printf(Locale.ROOT, "(%d tokens, first after %.2f s, %.1f tokens/s, stop: %s, KV %.1f MiB%s)%n",
                    answer.tokenIds().size(), answer.timeToFirstTokenNanos() / 1e9, answer.decodeTokensPerSecond(),
                    answer.stop(), answer.kvBytes() / 1048576.0, speculationSummary(answer));
            if (zip.isPresent() && session.zipVlStats().isPresent()) {
                ZipVlStats z = session.zipVlStats().get();
                out.printf(Locale.ROOT, "(ZipVL %s: %s; kept per layer %s)%n", zip.get().label(), z.summary(),
                        keptPerLayer(z));
            }
        }
        return 0;
    }

    /** Whether ZipVL ranks the video tokens with the question's rows (parsed once here). */
    private boolean questionProbes(Optional<ZipVlOptions> zip) {
        boolean question = switch (zipvlProbes) {
            case "chunk" -> false;
            case "question" -> true;
            default -> throw new IllegalArgumentException("--zipvl-probes is chunk or question, not '" + zipvlProbes
                    + "'");
        };
        if (question && zip.isEmpty()) {
            throw new IllegalArgumentException("--zipvl-probes question needs --zipvl");
        }
        return question;
    }

    /** The ZipVL options the flags ask for, parsed once here; empty when off. */
    private Optional<ZipVlOptions> zipVlOptions() {
        Optional<ZipVlOptions> zip = EngineSettings.zipVl(ZipVlSpec.parse(zipvl));
        if (zip.isEmpty() && (zipvlRatio != null || zipvlDenseLayers != null || zipvlDrop != null)) {
            throw new IllegalArgumentException("--zipvl-ratio, --zipvl-dense-layers and --zipvl-drop need --zipvl");
        }
        if (zipvlDrop != null) {
            zip = zip.map(z -> z.withDropping(zipvlDrop == 0 ? ZipVlOptions.Dropping.OFF
                    : ZipVlOptions.Dropping.after(zipvlDrop)));
        }
        if (zipvlRatio != null) {
            zip = zip.map(z -> z.withForcedRatio(zipvlRatio));
        }
        if (zipvlDenseLayers != null) {
            zip = zip.map(z -> z.withDenseLayers(java.util.Set.copyOf(zipvlDenseLayers)));
        }
        return zip;
    }

    private static String keptPerLayer(ZipVlStats stats) {
        StringBuilder b = new StringBuilder();
        for (double r : stats.keptRatios()) {
            b.append(b.length() == 0 ? "" : " ").append(String.format(Locale.ROOT, "%.2f", r));
        }
        return b.toString();
    }

    private GenerationOptions generation() {
        dev.vlflow.engine.Sampling mode = temperature == null ? dev.vlflow.engine.Sampling.greedy()
                : new dev.vlflow.engine.Sampling.TopP(temperature, topP, seed);
        return new GenerationOptions(maxTokens, mode, List.of(), EngineSettings.decoding(decoding.speculation()));
    }

    /** {@code , prompt-lookup(k=8): 12 of 20 drafted accepted, 2.10 tokens a step}; nothing for plain decoding. */
    static String speculationSummary(Answer a) {
        if (a.decoding().lossy()) {
            return String.format(Locale.ROOT, ", %s: LOSSY, %d steps", a.decoding().describe(), a.speculation().steps());
        }
        if (a.decoding().drafter().draftLength() == 0) {
            return "";
        }
        var s = a.speculation();
        return String.format(Locale.ROOT, ", %s: %d of %d drafted accepted (%.0f%%), %.2f tokens a step",
                a.decoding().describe(), s.accepted(), s.drafted(), 100 * s.acceptance(), s.meanAcceptedLength());
    }

    static ExecutionProvider provider(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "cpu" -> ExecutionProvider.cpu();
            case "cuda" -> ExecutionProvider.cuda();
            default -> throw new IllegalArgumentException("unknown execution provider '" + name + "' (cpu or cuda)");
        };
    }
}

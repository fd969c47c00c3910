package dev.vlflow.bench.gpu;

import dev.vlflow.bench.Json;
import dev.vlflow.bench.engine.TokenTiming;
import dev.vlflow.cli.CliExtension;
import dev.vlflow.engine.EngineOptions;
import dev.vlflow.engine.VlModel;
import dev.vlflow.engine.model.Checkpoint;
import dev.vlflow.engine.model.make.ModelMaker;
import dev.vlflow.engine.model.make.ModelPreset;
import dev.vlflow.engine.onnx.CudaAvailability;
import dev.vlflow.engine.onnx.ExecutionProvider;
import dev.vlflow.engine.onnx.GraphParity;
import dev.vlflow.engine.onnx.OnnxModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code vlflow gpu-check}: CUDA against CPU on the tiny and small random models, in one command. Per model: every
 * ONNX graph on the same random inputs (within {@code --tolerance}), the whole engine (frames, prompt, greedy decode:
 * the same tokens, logits within {@code --engine-tolerance}), and prefill/decode tokens/s on each provider in the same
 * run (each warmed up at full size, then the faster of two alternating runs). Exit codes: 0 all agree, 2 a disagreement, 3 CUDA cannot be checked on this machine (what is missing is
 * printed). {@code --against cpu} runs everything CPU against CPU: a self-check of the command on any machine.
 */
@Command(name = "gpu-check", mixinStandardHelpOptions = true,
        description = {"CUDA vs CPU on tiny-random and small-random: parity of every ONNX graph and of the whole engine"
                + " (greedy tokens, max logit difference), and prefill/decode tokens/s on each provider.",
                "Exit 0: all agree; 2: a disagreement; 3: no GPU or no CUDA provider in this build (says which)."})
public final class GpuCheckCommand implements Callable<Integer>, CliExtension {

    /** What the engine is compared against the CPU on. */
    enum Against { CUDA, CPU }

    @Option(names = "--against", defaultValue = "cuda", description = "cuda, or cpu: the same comparisons CPU"
            + " against CPU, a self-check of this command that runs without a GPU (default ${DEFAULT-VALUE})")
    String against;

    @Option(names = "--models", split = ",", defaultValue = "tiny-random,small-random",
            description = "model presets, made under --work when missing (default ${DEFAULT-VALUE})")
    List<String> models;

    @Option(names = "--work", defaultValue = "bench-gpu-check", description = "where the models are made"
            + " (default ${DEFAULT-VALUE}, ignored by git)")
    Path work;

    @Option(names = "--tolerance", defaultValue = "1e-3", description = "largest |difference| of any graph output"
            + " (default ${DEFAULT-VALUE})")
    double tolerance;

    @Option(names = "--engine-tolerance", defaultValue = "1e-2", description = "largest |logit difference| of the"
            + " whole engine, layers compounding (default ${DEFAULT-VALUE})")
    double engineTolerance;

    @Option(names = "--frames", defaultValue = "2", description = "random frames in the engine check")
    int frames;

    @Option(names = "--decode-tokens", defaultValue = "32", description = "greedy tokens compared and timed"
            + " (default ${DEFAULT-VALUE})")
    int decodeTokens;

    @Option(names = "--prefill-tokens", defaultValue = "256", description = "prompt tokens timed (default"
            + " ${DEFAULT-VALUE})")
    int prefillTokens;

    @Option(names = "--json", description = "end with one line: the JSON figures")
    boolean json;

    @Override
    public Object command() {
        return new GpuCheckCommand();
    }

    @Override
    public Integer call() {
        Against target = switch (against.toLowerCase(Locale.ROOT)) {
            case "cuda" -> Against.CUDA;
            case "cpu" -> Against.CPU;
            default -> throw new IllegalArgumentException("--against must be cuda or cpu, not " + against);
        };
        ExecutionProvider provider = ExecutionProvider.cpu();
        if (target == Against.CUDA) {
            if (CudaAvailability.detect() instanceof CudaAvailability.Missing missing) {
                System.err.println("gpu-check: CUDA cannot be checked here: " + missing.reason() + ". (--against cpu"
                        + " runs the same comparisons CPU against CPU, as a self-check of this command.)");
                return 3;
            }
            provider = ExecutionProvider.cuda();
        }
        String name = target == Against.CUDA ? "cuda" : "cpu-again"; // the checked side's name in lines and keys
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("against", name);
        boolean agree = true;
        for (String preset : models) {
            Path dir = model(ModelPreset.parse(preset));
            System.out.printf(Locale.ROOT, "%s (%s):%n", preset, dir);
            Map<String, Object> f = new LinkedHashMap<>();
            agree &= graphs(dir, provider, name, f);
            agree &= engine(dir, provider, name, f);
            figures.put(preset, f);
        }
        System.out.println(agree ? "gpu-check: " + name + " agrees with cpu on every graph and model"
                : "gpu-check: " + name + " DISAGREES with cpu (see above)");
        figures.put("agree", agree);
        if (json) {
            System.out.println(Json.of(figures));
        }
        return agree ? 0 : 2;
    }

    private Path model(ModelPreset preset) {
        Path dir = work.resolve(preset.cliName());
        if (!Files.isRegularFile(dir.resolve("config.json"))) {
            ModelMaker.make(ModelMaker.Request.of(preset, dir));
        }
        return dir;
    }

    /** Every graph on the CPU and on {@code provider}, same weights, same random inputs. */
    private boolean graphs(Path dir, ExecutionProvider provider, String name, Map<String, Object> f) {
        GraphParity.Report report;
        try (Checkpoint checkpoint = Checkpoint.open(dir);
             OnnxModel cpu = OnnxModel.build(checkpoint, ExecutionProvider.cpu());
             OnnxModel other = OnnxModel.build(checkpoint, provider)) {
            report = GraphParity.compare(cpu, other);
        }
        List<GraphParity.GraphDiff> beyond = report.beyond(tolerance);
        System.out.printf(Locale.ROOT, "  graphs: %d compared, worst %s %.2e (tolerance %.0e): %s%n",
                report.graphs().size(), report.worst().graph(), report.worst().maxAbsDiff(), tolerance,
                beyond.isEmpty() ? "ok" : "FAIL");
        beyond.forEach(d -> System.out.printf(Locale.ROOT, "    %s: %.2e%n", d.graph(), d.maxAbsDiff()));
        f.put("graphs_compared", report.graphs().size());
        f.put("graph_max_abs_diff", report.worst().maxAbsDiff());
        f.put("graphs_beyond_tolerance", beyond.stream().map(GraphParity.GraphDiff::graph).toList());
        return beyond.isEmpty();
    }

    /** The whole engine on both providers: parity, then tokens/s of each, in the same run. */
    private boolean engine(Path dir, ExecutionProvider provider, String name, Map<String, Object> f) {
        EngineOptions options = EngineOptions.defaults();
        try (VlModel cpu = VlModel.load(dir, options);
             VlModel other = VlModel.load(dir, options.withProvider(provider))) {
            EngineParity p = EngineParity.compare(cpu, other, frames, 16, decodeTokens);
            boolean ok = p.sameTokens() && p.maxLogitDiff() <= engineTolerance && p.framesDiff() <= tolerance;
            System.out.printf(Locale.ROOT, "  engine: %d greedy tokens %s, max logit diff %.2e (tolerance %.0e),"
                            + " encoded frames diff %.2e: %s%n", decodeTokens,
                    p.sameTokens() ? "identical" : "DIFFER (cpu " + p.expectedTokens() + ", " + name + " "
                            + p.actualTokens() + ")", p.maxLogitDiff(), engineTolerance, p.framesDiff(),
                    ok ? "ok" : "FAIL");
            f.put("engine_same_tokens", p.sameTokens());
            f.put("engine_max_logit_diff", p.maxLogitDiff());
            f.put("engine_frames_diff", p.framesDiff());
            int[] ids = promptIds(cpu);
            TokenTiming.run(cpu, ids, decodeTokens); // warm-up of each at full size (JIT, allocator, CUDA kernels)
            TokenTiming.run(other, ids, decodeTokens);
            TokenTiming onCpu = null;
            TokenTiming onOther = null;
            for (int rep = 0; rep < 2; rep++) { // alternating, the faster of two runs each
                onCpu = faster(onCpu, TokenTiming.run(cpu, ids, decodeTokens));
                onOther = faster(onOther, TokenTiming.run(other, ids, decodeTokens));
            }
            System.out.printf(Locale.ROOT, "  tokens/s: prefill (%d) cpu %.1f, %s %.1f (%.2fx); decode (%d) cpu %.1f,"
                            + " %s %.1f (%.2fx)%n", prefillTokens, onCpu.prefillTokensPerSecond(), name,
                    onOther.prefillTokensPerSecond(),
                    onOther.prefillTokensPerSecond() / onCpu.prefillTokensPerSecond(), decodeTokens,
                    onCpu.decodeTokensPerSecond(), name, onOther.decodeTokensPerSecond(),
                    onOther.decodeTokensPerSecond() / onCpu.decodeTokensPerSecond());
            f.put("prefill_tokens_per_s_cpu", onCpu.prefillTokensPerSecond());
            f.put("prefill_tokens_per_s_" + name, onOther.prefillTokensPerSecond());
            f.put("decode_tokens_per_s_cpu", onCpu.decodeTokensPerSecond());
            f.put("decode_tokens_per_s_" + name, onOther.decodeTokensPerSecond());
            return ok;
        }
    }

    private int[] promptIds(VlModel vl) {
        var config = vl.config();
        SplittableRandom random = new SplittableRandom(11);
        int[] ids = new int[prefillTokens];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = random.nextInt(Math.min(config.text().vocabSize(), config.imageTokenId()));
        }
        return ids;
    }

    private static TokenTiming faster(TokenTiming best, TokenTiming t) {
        if (best == null) {
            return t;
        }
        return new TokenTiming(t.prefillTokens(), t.decodeTokens(), Math.min(best.prefillNanos(), t.prefillNanos()),
                Math.min(best.decodeNanos(), t.decodeNanos()), t.meanCacheBytes());
    }
}

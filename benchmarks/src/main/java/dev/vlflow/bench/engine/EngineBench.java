package dev.vlflow.bench.engine;

import dev.vlflow.bench.Json;
import dev.vlflow.bench.Roofline;
import dev.vlflow.engine.EngineOptions;
import dev.vlflow.engine.VlModel;
import dev.vlflow.engine.model.ModelConfig;
import dev.vlflow.engine.model.TextConfig;
import dev.vlflow.engine.quant.LogitAgreement;
import dev.vlflow.engine.quant.WeightPrecision;
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
 * {@code vlflow bench engine}: prefill and decode speed of the engine on a checkpoint, next to this machine's
 * measured memory bandwidth (the decode roofline: every weight is read once per token) and MatMul throughput (the
 * prefill roofline), as the fraction of each reached. With {@code --weights fp32,int8,int4} each weight precision is
 * loaded and measured in turn, side by side against the same rooflines; decode's bytes per token count the weights
 * at the precision they are read (codes and scales). With fp32 among them, each precision's logits over every position
 * of a 64-token random prompt are compared with fp32's (max |difference|, top-1 agreement).
 */
@Command(name = "engine", mixinStandardHelpOptions = true,
        description = "Prefill and decode tokens/s against measured memory bandwidth and MatMul throughput.")
public final class EngineBench implements Callable<Integer> {

    @Option(names = "--model", required = true, description = "checkpoint directory (e.g. made by make-model --preset small-random)")
    Path model;

    @Option(names = "--prefill-tokens", defaultValue = "512", description = "tokens in the measured prefill (default ${DEFAULT-VALUE})")
    int prefillTokens;

    @Option(names = "--decode-tokens", defaultValue = "16", description = "decode steps measured (default ${DEFAULT-VALUE})")
    int decodeTokens;

    @Option(names = "--threads", defaultValue = "0", description = "threads for the rooflines (0 = all cores)")
    int threads;

    @Option(names = "--json", description = "end with one line holding a JSON object of the figures")
    boolean json;

    @Option(names = "--weights", split = ",", defaultValue = "fp32",
            description = "weight precisions to measure, comma-separated: fp32, int8, int4 (default ${DEFAULT-VALUE})")
    List<String> weights;

    /** One precision's figures. */
    private record Measured(WeightPrecision precision, double prefillTps, double decodeTps, double decodeBytesPerToken,
                            double prefillFlopsPerToken, float[] promptLogits, double loadSeconds) {
    }

    /** Tokens of the prompt whose logits (every position) are compared across precisions. */
    static final int AGREEMENT_TOKENS = 64;

    @Override
    public Integer call() {
        int cores = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        System.out.println("measuring memory bandwidth and MatMul throughput ...");
        double bandwidth = Roofline.memoryBandwidthGbPerS();
        double matmul = MatMulRoofline.measureGflops(512, 2048, 2048, cores, 5);
        List<WeightPrecision> precisions = weights.stream().map(WeightPrecision::parse).distinct().toList();
        Map<WeightPrecision, Measured> measured = new LinkedHashMap<>();
        ModelConfig config = null;
        for (WeightPrecision precision : precisions) {
            System.out.println("measuring " + precision.label() + " weights ...");
            long start = System.nanoTime();
            try (VlModel vl = VlModel.load(model, EngineOptions.defaults().withWeights(precision))) {
                config = vl.config();
                measured.put(precision, measure(vl, (System.nanoTime() - start) / 1e9));
            }
        }
        TextConfig t = config.text();
        Measured base = measured.getOrDefault(WeightPrecision.FP32, measured.values().iterator().next());
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("model", model.getFileName().toString());
        figures.put("decoder_layers", t.numHiddenLayers());
        figures.put("hidden", t.hiddenSize());
        figures.put("prefill_tokens", prefillTokens);
        figures.put("decode_tokens", decodeTokens);
        figures.put("prefill_tokens_per_s", base.prefillTps());
        figures.put("decode_tokens_per_s", base.decodeTps());
        figures.put("memory_bandwidth_gb_s", bandwidth);
        figures.put("matmul_gflops", matmul);
        figures.put("decode_bytes_per_token", base.decodeBytesPerToken());
        figures.put("prefill_gflops_achieved", base.prefillTps() * base.prefillFlopsPerToken() / 1e9);
        figures.put("decode_gb_s_achieved", base.decodeTps() * base.decodeBytesPerToken() / 1e9);
        figures.put("decode_fraction_of_bandwidth", decodeFraction(base, bandwidth));
        figures.put("prefill_fraction_of_matmul", base.prefillTps() * base.prefillFlopsPerToken() / (matmul * 1e9));
        Map<String, Object> byPrecision = new LinkedHashMap<>();
        for (Measured m : measured.values()) {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("load_s", m.loadSeconds()); // checkpoint open, quantization, session creation
            f.put("prefill_tokens_per_s", m.prefillTps());
            f.put("prefill_fraction_of_matmul", m.prefillTps() * m.prefillFlopsPerToken() / (matmul * 1e9));
            f.put("decode_tokens_per_s", m.decodeTps());
            f.put("decode_bytes_per_token", m.decodeBytesPerToken());
            f.put("decode_fraction_of_bandwidth", decodeFraction(m, bandwidth));
            if (measured.containsKey(WeightPrecision.FP32)) {
                LogitAgreement a = LogitAgreement.of(base.promptLogits(), m.promptLogits(), t.vocabSize());
                f.put("max_logit_diff_vs_fp32", a.maxAbsDiff());
                f.put("top1_agreement_vs_fp32", a.top1Agreement());
            }
            if (measured.containsKey(WeightPrecision.FP32)) {
                f.put("decode_speedup_vs_fp32", m.decodeTps() / base.decodeTps());
                f.put("prefill_speedup_vs_fp32", m.prefillTps() / base.prefillTps());
            }
            byPrecision.put(m.precision().label(), f);
        }
        figures.put("weights", byPrecision);
        printTable(figures);
        if (json) {
            System.out.println(Json.of(figures));
        }
        return 0;
    }

    private static double decodeFraction(Measured m, double bandwidth) {
        return m.decodeTps() * m.decodeBytesPerToken() / (bandwidth * 1e9);
    }

    private Measured measure(VlModel vl, double loadSeconds) {
        ModelConfig config = vl.config();
        TextConfig t = config.text();
        SplittableRandom random = new SplittableRandom(11);
        int[] ids = new int[prefillTokens];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = random.nextInt(Math.min(t.vocabSize(), config.imageTokenId()));
        }
        // warm-up: a short prefill and a few decode steps on a throwaway cache
        TokenTiming.run(vl, java.util.Arrays.copyOf(ids, Math.min(64, ids.length)), 3);
        TokenTiming timing = TokenTiming.run(vl, ids, decodeTokens);
        long linearParams = decoderLinearParams(t);
        long headParams = (long) t.vocabSize() * t.hiddenSize();
        // decode reads every decoder weight and the head once per token at the model's precision, plus the cache
        WeightPrecision precision = vl.options().weights();
        double bytesPerDecodeToken = (linearParams + headParams) * precision.bytesPerWeight() + timing.meanCacheBytes();
        // prefill FLOPs: 2 per linear weight per token, attention 4*d per visible key per head, head on the last row only
        double attentionFlops = 4.0 * t.hiddenSize() * (prefillTokens + 1) / 2.0 * t.numHiddenLayers();
        return new Measured(precision, timing.prefillTokensPerSecond(),
                timing.decodeTokensPerSecond(), bytesPerDecodeToken, 2.0 * linearParams + attentionFlops,
                LogitAgreement.promptLogits(vl, java.util.Arrays.copyOf(ids, Math.min(AGREEMENT_TOKENS, ids.length))),
                loadSeconds);
    }

    /** Weights of the decoder's linear layers (q, k, v, o, gate, up, down) over all layers. */
    static long decoderLinearParams(TextConfig t) {
        long h = t.hiddenSize();
        long kv = t.kvWidth();
        long perLayer = h * h * 2 + h * kv * 2 + 3L * h * t.intermediateSize();
        return perLayer * t.numHiddenLayers();
    }

    private static void printTable(Map<String, Object> figures) {
        System.out.printf(Locale.ROOT, "%-32s %s%n", "figure", "value");
        figures.forEach((k, v) -> {
            if (!(v instanceof Map)) {
                System.out.printf(Locale.ROOT, "%-32s %s%n", k, v instanceof Double d
                        ? String.format(Locale.ROOT, "%.3f", d) : v);
            }
        });
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> byPrecision = (Map<String, Map<String, Object>>) figures.get("weights");
        System.out.printf(Locale.ROOT, "%n%-32s", "weights");
        byPrecision.keySet().forEach(p -> System.out.printf(Locale.ROOT, " %10s", p));
        System.out.println();
        for (String figure : byPrecision.values().iterator().next().keySet()) {
            System.out.printf(Locale.ROOT, "%-32s", figure);
            byPrecision.values().forEach(f -> System.out.printf(Locale.ROOT, " %10.3f", (Double) f.get(figure)));
            System.out.println();
        }
    }
}

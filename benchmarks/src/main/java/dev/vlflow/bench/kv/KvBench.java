package dev.vlflow.bench.kv;

import dev.vlflow.bench.Json;
import dev.vlflow.bench.Roofline;
import dev.vlflow.kv.AttentionQuery;
import dev.vlflow.kv.CacheShape;
import dev.vlflow.kv.FloatAttention;
import dev.vlflow.kv.FloatKvCache;
import dev.vlflow.kv.KvCache;
import dev.vlflow.kv.KvCacheConfig;
import dev.vlflow.kv.LayerLayout;
import dev.vlflow.kv.PagedKvCache;
import dev.vlflow.kv.PrecisionPolicy;
import dev.vlflow.kv.kernel.ComputeRoofline;
import dev.vlflow.kv.kernel.Kernels;
import dev.vlflow.kv.kernel.PagedAttentionScalar;
import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code vlflow bench kv}: bytes per token of the KV cache at every precision against fp16, and decode-step
 * attention throughput (GB/s of cache read) against this machine's measured memory bandwidth and the kernels'
 * compute roofline, with the scalar twins' time as the vectorization ratio. Default shapes are Qwen2-0.5B's.
 */
@Command(name = "kv", mixinStandardHelpOptions = true,
        description = "KV cache bytes/token vs fp16 and decode-attention GB/s vs measured memory bandwidth.")
public final class KvBench implements Callable<Integer> {

    @Option(names = "--tokens", defaultValue = "6000",
            description = "cached tokens per layer (default ${DEFAULT-VALUE})")
    int tokens;

    @Option(names = "--layers", defaultValue = "24", description = "decoder layers (default ${DEFAULT-VALUE})")
    int layers;

    @Option(names = "--kv-heads", defaultValue = "2", description = "KV heads (default ${DEFAULT-VALUE})")
    int kvHeads;

    @Option(names = "--query-heads", defaultValue = "14", description = "query heads (default ${DEFAULT-VALUE})")
    int queryHeads;

    @Option(names = "--head-dim", defaultValue = "64", description = "head dimension (default ${DEFAULT-VALUE})")
    int headDim;

    @Option(names = "--important", defaultValue = "0.3",
            description = "important fraction for mixed 4/2 (default ${DEFAULT-VALUE})")
    double important;

    @Option(names = "--steps", defaultValue = "15",
            description = "timed decode steps per setting (default ${DEFAULT-VALUE})")
    int steps;

    @Option(names = "--threads", defaultValue = "0", description = "threads, layers split among them (0 = all cores)")
    int threads;

    @Option(names = "--json", description = "end with one line holding a JSON object of the figures")
    boolean json;

    @Option(names = "--model", description = "also measure logit difference and top-1 agreement of this checkpoint "
            + "with each quantized cache against the float cache")
    java.nio.file.Path model;

    @Option(names = "--model-tokens", defaultValue = "512",
            description = "prompt tokens for the model comparison (default ${DEFAULT-VALUE})")
    int modelTokens;

    private static final List<PrecisionPolicy> SETTINGS = List.of(new PrecisionPolicy.FullPrecision(),
            new PrecisionPolicy.Uniform(16), new PrecisionPolicy.Uniform(8), new PrecisionPolicy.Uniform(4),
            new PrecisionPolicy.Uniform(2), new PrecisionPolicy.MixedByImportance(4, 2));

    @Override
    public Integer call() {
        int cores = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        CacheShape shape = new CacheShape(layers, kvHeads, headDim);
        KvWorkload workload = new KvWorkload(shape, tokens, important, 17);
        AttentionQuery query = workload.decodeQuery(queryHeads);
        System.out.println("measuring memory bandwidth and FMA peak ...");
        double bandwidth = Roofline.memoryBandwidthGbPerS(cores, 3);
        double fmaPeak = ComputeRoofline.fmaGflopsPerThread(3) * cores;
        double fp16BytesPerToken = 2.0 * shape.tokenWidth() * 2; // K and V at 2 bytes, per layer
        // decode FLOPs: q·k and p·v, one FMA (2 FLOP) per element per query head
        double flopsPerStep = 4.0 * queryHeads * headDim * tokens * layers;

        Map<String, Object> figures = new LinkedHashMap<>();
        Map<String, Object> dims = new LinkedHashMap<>();
        dims.put("layers", layers);
        dims.put("kv_heads", kvHeads);
        dims.put("query_heads", queryHeads);
        dims.put("head_dim", headDim);
        dims.put("tokens", tokens);
        figures.put("shape", dims);
        figures.put("threads", cores);
        figures.put("vectorized", Kernels.vectorized() ? "yes" : "no");
        figures.put("memory_bandwidth_gb_s", bandwidth);
        figures.put("fma_peak_gflops", fmaPeak);
        figures.put("load_average", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        Map<String, Object> fraction = new LinkedHashMap<>();
        Map<String, Object> gbs = new LinkedHashMap<>();
        Map<String, Object> ms = new LinkedHashMap<>();
        Map<String, Object> scalarMs = new LinkedHashMap<>();
        Map<String, Object> cpuMs = new LinkedHashMap<>();
        Map<String, Object> gbsPerCore = new LinkedHashMap<>();
        Map<String, Object> vectorSpeedup = new LinkedHashMap<>();
        Map<String, Object> computeFraction = new LinkedHashMap<>();
        System.out.printf(Locale.ROOT, "%-8s %11s %9s %9s %9s %8s %8s %8s %8s %9s%n", "setting", "bytes/tok",
                "vs fp16", "pages vs", "step ms", "cpu ms", "GB/s", "of bw", "of FMA", "vs scalar");
        for (PrecisionPolicy policy : SETTINGS) {
            String key = policy.label().startsWith("mixed") ? "mixed" : policy.label();
            KvCache cache = workload.build(KvCacheConfig.of(policy));
            long bytes = cache.bytes();
            double perToken = (double) bytes / ((double) tokens * layers);
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("bytes_per_token_per_layer", perToken);
            entry.put("compression_vs_fp16", fp16BytesPerToken / perToken);
            if (cache instanceof PagedKvCache paged) {
                double pageBytes = pageBytesPerToken(paged);
                entry.put("page_bytes_per_token_per_layer", pageBytes);
                entry.put("page_compression_vs_fp16", fp16BytesPerToken / pageBytes);
            }
            if (key.equals("mixed")) {
                entry.put("important_fraction", important);
            }
            figures.put(key, entry);

            DecodeTimer.StepTime time = DecodeTimer.time(cache, cache::attend, query, cores, 6000, steps);
            DecodeTimer.StepTime scalar = DecodeTimer.time(cache, scalarTwin(cache), query, cores, 0, 2);
            double nanos = time.wallNanos();
            double rate = bytes / nanos; // bytes per ns = GB/s
            fraction.put(key, rate / bandwidth);
            gbs.put(key, rate);
            ms.put(key, nanos / 1e6);
            cpuMs.put(key, time.cpuNanos() / 1e6);
            gbsPerCore.put(key, bytes / time.cpuNanos());
            scalarMs.put(key, scalar.wallNanos() / 1e6);
            vectorSpeedup.put(key, scalar.cpuNanos() / time.cpuNanos());
            computeFraction.put(key, fmaPeak > 0 ? flopsPerStep / nanos / fmaPeak : Double.NaN);
            System.out.printf(Locale.ROOT, "%-8s %11.1f %8.2fx %8.2fx %9.2f %8.2f %8.2f %7.1f%% %7.1f%% %8.1fx%n",
                    key, perToken, fp16BytesPerToken / perToken,
                    cache instanceof PagedKvCache ? (double) entry.get("page_compression_vs_fp16") : Double.NaN,
                    nanos / 1e6, time.cpuNanos() / 1e6, rate, 100 * rate / bandwidth,
                    100 * (double) computeFraction.get(key), scalar.cpuNanos() / time.cpuNanos());
        }
        Map<String, Object> decode = new LinkedHashMap<>();
        decode.put("fraction_of_bandwidth", fraction);
        decode.put("gb_s", gbs);
        decode.put("ms_per_step", ms);
        decode.put("fraction_of_fma_peak", computeFraction);
        decode.put("cpu_ms_per_step", cpuMs);
        decode.put("gb_s_per_cpu_second", gbsPerCore);
        decode.put("scalar_twin_ms_per_step", scalarMs);
        decode.put("speedup_vs_scalar_twin_cpu", vectorSpeedup);
        decode.put("flop_per_step", flopsPerStep);
        figures.put("decode_attention", decode);
        System.out.printf(Locale.ROOT, "memory bandwidth %.1f GB/s (%d threads), FMA peak %.1f GFLOP/s, load average "
                + "%.1f; fp16 cache %.0f bytes/token/layer; decode = %d query heads over %d tokens x %d layers%n",
                bandwidth, cores, fmaPeak, ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                fp16BytesPerToken, queryHeads, tokens, layers);
        if (model != null) {
            System.out.println("model " + model + ": quantized caches against the float cache");
            try (dev.vlflow.engine.VlModel vl = dev.vlflow.engine.VlModel.load(model)) {
                figures.put("model_agreement", ModelAgreement.measure(vl, SETTINGS, modelTokens, 16));
            }
        }
        if (json) {
            System.out.println(Json.of(figures));
        }
        return 0;
    }

    /** Bytes per quantized token: the cache without its fp32 window and staging tokens. */
    private static double pageBytesPerToken(PagedKvCache cache) {
        long fp32Tokens = 0;
        long all = 0;
        for (int l = 0; l < cache.shape().layers(); l++) {
            LayerLayout layout = cache.layout(l);
            fp32Tokens += layout.window() + java.util.Arrays.stream(layout.staging()).sum();
            all += cache.size(l);
        }
        double fp32Bytes = fp32Tokens * (2.0 * cache.shape().tokenWidth() * Float.BYTES + Integer.BYTES + 1);
        return (cache.bytes() - fp32Bytes) / (all - fp32Tokens);
    }

    private static DecodeTimer.LayerAttention scalarTwin(KvCache cache) {
        if (cache instanceof PagedKvCache paged) {
            return (layer, q, out) -> PagedAttentionScalar.attend(q, paged.view(layer), out);
        }
        FloatKvCache plain = (FloatKvCache) cache;
        return (layer, q, out) -> FloatAttention.attend(q, plain.keys(layer), plain.values(layer),
                plain.positions(layer), plain.size(layer), plain.shape(), out);
    }
}

package dev.vlflow.bench.kv.jmh;

import dev.vlflow.bench.kv.KvWorkload;
import dev.vlflow.kv.AttentionQuery;
import dev.vlflow.kv.CacheShape;
import dev.vlflow.kv.FloatAttention;
import dev.vlflow.kv.FloatKvCache;
import dev.vlflow.kv.KvCache;
import dev.vlflow.kv.KvCacheConfig;
import dev.vlflow.kv.PagedKvCache;
import dev.vlflow.kv.PrecisionPolicy;
import dev.vlflow.kv.kernel.PagedAttentionScalar;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * JMH: the attention kernels over one layer of a Qwen2-0.5B-shaped cache (2 KV heads, head dim 64, 14 query
 * heads), per precision: a decode step (vector kernel and its scalar twin) and a 64-query prefill chunk.
 * Run: {@code java --add-modules=jdk.incubator.vector -cp <benchmarks classpath> org.openjdk.jmh.Main KvAttention}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx4g"})
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 1)
public class KvAttentionBenchmark {

    private static final int QUERY_HEADS = 14;

    @Param({"fp32", "16", "8", "4", "2", "mixed"})
    public String precision;

    @Param({"6000"})
    public int tokens;

    private KvCache cache;
    private AttentionQuery decode;
    private AttentionQuery chunk;
    private float[] out;

    @Setup
    public void setUp() {
        KvWorkload workload = new KvWorkload(new CacheShape(1, 2, 64), tokens, 0.3, 17);
        cache = workload.build(KvCacheConfig.of(PrecisionPolicy.parse(precision)));
        decode = workload.decodeQuery(QUERY_HEADS);
        chunk = workload.queries(64, QUERY_HEADS, tokens - 1);
        out = new float[64 * QUERY_HEADS * 64];
    }

    @Benchmark
    public float[] decodeStep() {
        cache.attend(0, decode, out);
        return out;
    }

    @Benchmark
    public float[] decodeStepScalarTwin() {
        if (cache instanceof PagedKvCache paged) {
            PagedAttentionScalar.attend(decode, paged.view(0), out);
        } else {
            FloatKvCache plain = (FloatKvCache) cache;
            FloatAttention.attend(decode, plain.keys(0), plain.values(0), plain.positions(0), plain.size(0),
                    plain.shape(), out);
        }
        return out;
    }

    @Benchmark
    public float[] prefillChunk64() {
        cache.attend(0, chunk, out);
        return out;
    }
}

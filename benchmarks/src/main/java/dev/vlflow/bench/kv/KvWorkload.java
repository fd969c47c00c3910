package dev.vlflow.bench.kv;

import dev.vlflow.kv.AttentionQuery;
import dev.vlflow.kv.CacheShape;
import dev.vlflow.kv.KvCache;
import dev.vlflow.kv.KvCacheConfig;
import dev.vlflow.kv.KvCaches;
import dev.vlflow.kv.PagedKvCache;
import dev.vlflow.kv.PrecisionPolicy;
import java.util.SplittableRandom;

/**
 * Synthetic KV caches for the kv benchmarks: keys with per-channel offsets (the outlier channels of real keys),
 * values N(0, 1), appended in prefill chunks; with a mixed policy a random {@code important} fraction of each
 * chunk is marked important while it is still in the fp32 window (as ZipVL does after scoring a chunk).
 *
 * @param shape     layers, KV heads, head dim (Qwen2-0.5B: 24, 2, 64)
 * @param tokens    tokens per layer
 * @param important fraction marked important under a mixed policy
 * @param seed      random seed
 */
public record KvWorkload(CacheShape shape, int tokens, double important, long seed) {

    private static final int CHUNK = 512;

    /** The cache a configuration makes, filled; a paged cache has moved all but its window into pages. */
    public KvCache build(KvCacheConfig config) {
        KvCache cache = KvCaches.create(config, shape);
        SplittableRandom rnd = new SplittableRandom(seed);
        int w = shape.tokenWidth();
        float[] offsets = new float[w];
        for (int c = 0; c < w; c++) {
            offsets[c] = c % 9 == 0 ? (float) rnd.nextDouble(-8, 8) : (float) rnd.nextDouble(-1, 1);
        }
        for (int layer = 0; layer < shape.layers(); layer++) {
            for (int start = 0; start < tokens; start += CHUNK) {
                int n = Math.min(CHUNK, tokens - start);
                float[] k = new float[n * w];
                float[] v = new float[n * w];
                int[] positions = new int[n];
                for (int t = 0; t < n; t++) {
                    positions[t] = start + t;
                    for (int c = 0; c < w; c++) {
                        k[t * w + c] = offsets[c] + (float) gaussian(rnd);
                        v[t * w + c] = (float) gaussian(rnd);
                    }
                }
                cache.append(layer, k, v, positions, n);
                if (cache instanceof PagedKvCache paged
                        && config.policy() instanceof PrecisionPolicy.MixedByImportance mixed) {
                    // the new chunk is the last n slots, still fp32; tokens default to the high precision
                    int size = paged.size(layer);
                    int[] low = java.util.stream.IntStream.range(size - n, size)
                            .filter(s -> rnd.nextDouble() >= important).toArray();
                    paged.setPrecision(layer, low, mixed.lowBits());
                }
            }
            cache.append(layer, new float[0], new float[0], new int[0], 0); // move all but the window into pages
        }
        return cache;
    }

    /** One decode step's query block: [1, heads, headDim] at the position after the last token. */
    public AttentionQuery decodeQuery(int heads) {
        return queries(1, heads, tokens);
    }

    /** A causal block of {@code count} queries ending at the last token (a prefill chunk's tail). */
    public AttentionQuery queries(int count, int heads, int lastPosition) {
        SplittableRandom rnd = new SplittableRandom(seed + 1);
        float[] q = new float[count * heads * shape.headDim()];
        for (int i = 0; i < q.length; i++) {
            q[i] = (float) gaussian(rnd);
        }
        int[] positions = new int[count];
        for (int i = 0; i < count; i++) {
            positions[i] = lastPosition - count + 1 + i;
        }
        return AttentionQuery.causal(q, count, heads, positions, (float) (1 / Math.sqrt(shape.headDim())));
    }

    private static double gaussian(SplittableRandom rnd) {
        double u = rnd.nextDouble(1e-12, 1);
        double v = rnd.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }
}

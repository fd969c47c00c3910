package dev.vlflow.bench.engine;

import dev.vlflow.engine.VlModel;
import dev.vlflow.engine.runtime.DecoderRunner;
import dev.vlflow.engine.runtime.ForwardResult;
import dev.vlflow.engine.runtime.LogitRows;
import dev.vlflow.engine.runtime.Sampler;
import dev.vlflow.kv.KvCache;

/**
 * One timed prefill of a prompt and {@code steps} greedy decode steps after it, on a fresh cache of the model's kind.
 *
 * @param prefillNanos   wall time of the prefill (chunked as the model's options say)
 * @param decodeNanos    wall time of all decode steps
 * @param meanCacheBytes the cache's mean size over the decode steps
 */
public record TokenTiming(int prefillTokens, int decodeTokens, long prefillNanos, long decodeNanos,
                          double meanCacheBytes) {

    public double prefillTokensPerSecond() {
        return prefillTokens / (prefillNanos / 1e9);
    }

    public double decodeTokensPerSecond() {
        return decodeTokens / (decodeNanos / 1e9);
    }

    /** Times {@code ids} (positions 0..n-1) and {@code steps} decode steps; warm up separately. */
    public static TokenTiming run(VlModel vl, int[] ids, int steps) {
        DecoderRunner decoder = vl.decoder();
        KvCache cache = vl.options().kvCache().create(vl.cacheShape());
        int[] positions = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            positions[i] = i;
        }
        long t0 = System.nanoTime();
        ForwardResult r = decoder.prefill(decoder.embed(ids), ids.length, positions, cache, vl.options().prefillChunk());
        long t1 = System.nanoTime();
        double cacheBytes = 0;
        int position = ids.length;
        for (int s = 0; s < steps; s++) {
            int next = Sampler.argmax(r.row(0));
            cacheBytes += cache.bytes();
            r = decoder.forward(decoder.embed(new int[] {next}), 1, new int[] {position++}, cache, LogitRows.LAST);
        }
        long t2 = System.nanoTime();
        return new TokenTiming(ids.length, steps, t1 - t0, t2 - t1, steps == 0 ? 0 : cacheBytes / steps);
    }
}

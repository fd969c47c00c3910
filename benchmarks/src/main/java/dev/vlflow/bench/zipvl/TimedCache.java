package dev.vlflow.bench.zipvl;

import dev.vlflow.kv.AttentionQuery;
import dev.vlflow.kv.CacheShape;
import dev.vlflow.kv.KvCache;
import java.util.OptionalDouble;

/** A cache that adds up the time spent in its attention calls (the attention share of a prefill). */
final class TimedCache implements KvCache {

    private final KvCache cache;
    private long attendNanos;

    TimedCache(KvCache cache) {
        this.cache = cache;
    }

    long attendNanos() {
        return attendNanos;
    }

    @Override
    public CacheShape shape() {
        return cache.shape();
    }

    @Override
    public int size(int layer) {
        return cache.size(layer);
    }

    @Override
    public void append(int layer, float[] keys, float[] values, int[] positions, int count) {
        cache.append(layer, keys, values, positions, count);
    }

    @Override
    public void attend(int layer, AttentionQuery query, float[] out) {
        long t0 = System.nanoTime();
        cache.attend(layer, query, out);
        attendNanos += System.nanoTime() - t0;
    }

    @Override
    public void truncate(int tokens) {
        cache.truncate(tokens);
    }

    @Override
    public KvCache fork() {
        return new TimedCache(cache.fork());
    }

    @Override
    public long bytes() {
        return cache.bytes();
    }

    @Override
    public OptionalDouble importantMass() {
        return cache.importantMass();
    }

    @Override
    public void markImportance(int layer, boolean[] important) {
        cache.markImportance(layer, important);
    }

    @Override
    public int unsealed(int layer) {
        return cache.unsealed(layer);
    }

    @Override
    public void seal(int layer) {
        cache.seal(layer);
    }
}

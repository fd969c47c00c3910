package dev.vlflow.bench.zipvl;

import dev.vlflow.kv.AttentionQuery;
import dev.vlflow.kv.ForwardingKvCache;
import dev.vlflow.kv.KvCache;

/** A cache that adds up the time spent in its attention calls (the attention share of a prefill). */
final class TimedCache extends ForwardingKvCache {

    private long attendNanos;

    TimedCache(KvCache cache) {
        super(cache);
    }

    long attendNanos() {
        return attendNanos;
    }

    @Override
    public void attend(int layer, AttentionQuery query, float[] out) {
        long t0 = System.nanoTime();
        super.attend(layer, query, out);
        attendNanos += System.nanoTime() - t0;
    }
}

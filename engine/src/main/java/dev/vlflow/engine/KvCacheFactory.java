package dev.vlflow.engine;

import dev.vlflow.kv.CacheShape;
import dev.vlflow.kv.FloatKvCache;
import dev.vlflow.kv.KvCache;

/** Makes the KV cache of a new session; the one place the cache implementation is chosen. */
@FunctionalInterface
public interface KvCacheFactory {

    KvCache create(CacheShape shape);

    /** Plain float cache: exact, the reference for quantized caches. */
    static KvCacheFactory floats() {
        return FloatKvCache::new;
    }
}

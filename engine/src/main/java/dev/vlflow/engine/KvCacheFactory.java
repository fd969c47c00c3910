package dev.vlflow.engine;

import dev.vlflow.kv.CacheShape;
import dev.vlflow.kv.FloatKvCache;
import dev.vlflow.kv.KvCache;
import dev.vlflow.kv.KvCacheConfig;
import dev.vlflow.kv.KvCaches;

/** Makes the KV cache of a new session; the one place the cache implementation is chosen. */
@FunctionalInterface
public interface KvCacheFactory {

    KvCache create(CacheShape shape);

    /** Plain float cache: exact, the reference for quantized caches. */
    static KvCacheFactory floats() {
        return FloatKvCache::new;
    }

    /**
     * The cache a configuration describes: float for {@code fp32}, else the paged quantized cache with its precision
     * policy (uniform 16/8/4/2 bits, or mixed by importance, where the engine marks each prefill chunk's important
     * tokens from their attention mass).
     */
    static KvCacheFactory of(KvCacheConfig config) {
        return shape -> KvCaches.create(config, shape);
    }
}

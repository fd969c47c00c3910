package dev.vlflow.kv;

/** Makes the KV cache a configuration asks for: the one place the cache implementation is chosen. */
public final class KvCaches {

    private KvCaches() {
    }

    /** {@link FloatKvCache} for {@link PrecisionPolicy.FullPrecision}, else a {@link PagedKvCache}. */
    public static KvCache create(KvCacheConfig config, CacheShape shape) {
        if (config.policy() instanceof PrecisionPolicy.Quantized) {
            return new PagedKvCache(shape, config);
        }
        return new FloatKvCache(shape);
    }
}

package dev.vlflow.operators.evict;

import dev.vlflow.conf.KvBudget;
import dev.vlflow.kv.CacheShape;
import dev.vlflow.kv.FloatKvCache;
import java.util.Optional;

/**
 * Applies a token budget to a stream's cache: when a layer holds more than the budget, a new cache is built that
 * keeps, layer by layer, the slots {@link KeepSet} chooses from {@link TokenImportance} scores. Kept tokens keep
 * their original positions (keys stay as rotated), so attention over the kept tokens is exactly what it was.
 */
public final class CacheEviction {

    /**
     * @param cache   the cache after eviction
     * @param evicted tokens per layer removed
     */
    public record Result(FloatKvCache cache, int evicted) {
    }

    private CacheEviction() {
    }

    /** The evicted cache, or empty when the cache fits its budget. */
    public static Optional<Result> apply(FloatKvCache cache, KvBudget budget) {
        if (!(budget instanceof KvBudget.Bounded b) || cache.size(0) <= b.tokens()) {
            return Optional.empty();
        }
        CacheShape shape = cache.shape();
        int w = shape.tokenWidth();
        FloatKvCache kept = new FloatKvCache(shape);
        int evicted = 0;
        for (int layer = 0; layer < shape.layers(); layer++) {
            int size = cache.size(layer);
            float[] keys = cache.keys(layer);
            float[] values = cache.values(layer);
            int[] positions = cache.positions(layer);
            double[] importance = TokenImportance.score(shape, keys, size, b.probeTokens());
            int[] slots = KeepSet.select(importance, size, b.tokens(), b.sinkTokens(), b.recentTokens());
            float[] k = new float[slots.length * w];
            float[] v = new float[slots.length * w];
            int[] p = new int[slots.length];
            for (int j = 0; j < slots.length; j++) {
                System.arraycopy(keys, slots[j] * w, k, j * w, w);
                System.arraycopy(values, slots[j] * w, v, j * w, w);
                p[j] = positions[slots[j]];
            }
            kept.append(layer, k, v, p, slots.length);
            evicted = size - slots.length;
        }
        return Optional.of(new Result(kept, evicted));
    }
}

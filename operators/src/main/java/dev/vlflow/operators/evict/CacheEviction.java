package dev.vlflow.operators.evict;

import dev.vlflow.conf.KvBudget;
import dev.vlflow.kv.CacheShape;
import dev.vlflow.kv.FloatKvCache;
import dev.vlflow.kv.PagedKvCache;
import java.util.Optional;
import java.util.OptionalInt;

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

    /**
     * Applies the budget to a paged cache in place: per layer the same choice as for a float cache, made on the
     * dequantized keys in position order (a paged cache's slots are regrouped by precision, so sinks, recent tokens
     * and probes are chosen by position), then the other slots are evicted (their pages' live bits cleared, emptied
     * pages dropped).
     *
     * @return tokens per layer evicted, or empty when the cache fits its budget
     */
    public static OptionalInt apply(PagedKvCache cache, KvBudget budget) {
        if (!(budget instanceof KvBudget.Bounded b) || cache.size(0) <= b.tokens()) {
            return OptionalInt.empty();
        }
        CacheShape shape = cache.shape();
        int w = shape.tokenWidth();
        int evicted = 0;
        for (int layer = 0; layer < shape.layers(); layer++) {
            PagedKvCache.DequantizedLayer d = cache.dequantize(layer);
            int size = d.positions().length;
            int[] order = java.util.stream.IntStream.range(0, size).boxed()
                    .sorted((x, y) -> Integer.compare(d.positions()[x], d.positions()[y]))
                    .mapToInt(Integer::intValue).toArray();
            float[] keys = new float[size * w];
            for (int i = 0; i < size; i++) {
                System.arraycopy(d.keys(), order[i] * w, keys, i * w, w);
            }
            double[] importance = TokenImportance.score(shape, keys, size, b.probeTokens());
            int[] keep = KeepSet.select(importance, size, b.tokens(), b.sinkTokens(), b.recentTokens());
            boolean[] kept = new boolean[size];
            for (int i : keep) {
                kept[order[i]] = true;
            }
            int[] drop = java.util.stream.IntStream.range(0, size).filter(s -> !kept[s]).toArray();
            cache.evict(layer, drop);
            evicted = drop.length;
        }
        return OptionalInt.of(evicted);
    }
}

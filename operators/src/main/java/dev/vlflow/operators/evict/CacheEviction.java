package dev.vlflow.operators.evict;

import dev.vlflow.conf.KvBudget;
import dev.vlflow.kv.CacheShape;
import dev.vlflow.kv.KvCache;
import java.util.OptionalInt;
import java.util.stream.IntStream;

/**
 * Applies a token budget to a stream's cache, in place: when a layer holds more than the budget, the slots
 * {@link KeepSet} chooses from {@link TokenImportance} scores stay (chosen on the keys as attention sees them, in
 * position order, so sinks, recent tokens and probes are chosen by position whatever the cache's slot order) and the
 * others are evicted. Kept tokens keep their original positions (keys stay as rotated), so attention over the kept
 * tokens is exactly what it was. The same for every cache kind, through {@link KvCache}.
 */
public final class CacheEviction {

    private CacheEviction() {
    }

    /** @return tokens per layer evicted, or empty when the cache fits its budget */
    public static OptionalInt apply(KvCache cache, KvBudget budget) {
        if (!(budget instanceof KvBudget.Bounded b) || cache.size(0) <= b.tokens()) {
            return OptionalInt.empty();
        }
        CacheShape shape = cache.shape();
        int w = shape.tokenWidth();
        int evicted = 0;
        for (int layer = 0; layer < shape.layers(); layer++) {
            int[] positions = cache.positions(layer);
            float[] slotKeys = cache.keys(layer);
            int size = positions.length;
            int[] order = IntStream.range(0, size).boxed()
                    .sorted((x, y) -> Integer.compare(positions[x], positions[y]))
                    .mapToInt(Integer::intValue).toArray();
            float[] keys = new float[size * w];
            for (int i = 0; i < size; i++) {
                System.arraycopy(slotKeys, order[i] * w, keys, i * w, w);
            }
            double[] importance = TokenImportance.score(shape, keys, size, b.probeTokens());
            int[] keep = KeepSet.select(importance, size, b.tokens(), b.sinkTokens(), b.recentTokens());
            boolean[] kept = new boolean[size];
            for (int i : keep) {
                kept[order[i]] = true;
            }
            int[] drop = IntStream.range(0, size).filter(s -> !kept[s]).toArray();
            cache.evict(layer, drop);
            evicted = drop.length;
        }
        return OptionalInt.of(evicted);
    }
}

package dev.vlflow.engine.decode;

import dev.vlflow.kv.AttentionQuery;
import dev.vlflow.kv.CacheShape;
import dev.vlflow.kv.KvCache;

/**
 * A cache seen through a verification pass that remembers what each layer appended, so the K/V of an accepted tree
 * path can be re-appended contiguously after the pass is truncated away. Nothing else is changed.
 */
public final class KvRecorder implements KvCache {

    private final KvCache cache;
    private final float[][] keys;   // [layer][block, kvHeads, headDim]
    private final float[][] values; // [layer][block, kvHeads, headDim]

    public KvRecorder(KvCache cache) {
        this.cache = cache;
        this.keys = new float[cache.shape().layers()][];
        this.values = new float[cache.shape().layers()][];
    }

    /** What {@code layer} appended last, [block, kvHeads, headDim] (a copy). */
    public float[] appendedKeys(int layer) {
        return keys[layer].clone();
    }

    /** What {@code layer} appended last, [block, kvHeads, headDim] (a copy). */
    public float[] appendedValues(int layer) {
        return values[layer].clone();
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
    public void append(int layer, float[] k, float[] v, int[] positions, int count) {
        cache.append(layer, k, v, positions, count);
        keys[layer] = k.clone();
        values[layer] = v.clone();
    }

    @Override
    public void attend(int layer, AttentionQuery query, float[] out) {
        cache.attend(layer, query, out);
    }

    @Override
    public void truncate(int tokens) {
        cache.truncate(tokens);
    }

    @Override
    public KvCache fork() {
        return cache.fork();
    }

    @Override
    public long bytes() {
        return cache.bytes();
    }

    /**
     * Truncates the real cache to {@code kept} tokens and appends the recorded rows {@code path} (block indices) in
     * order, at positions {@code firstPosition, firstPosition + 1, ...}.
     */
    void keep(int kept, int[] path, int firstPosition) {
        cache.truncate(kept);
        if (path.length == 0) {
            return;
        }
        int w = cache.shape().tokenWidth();
        int[] positions = new int[path.length];
        for (int i = 0; i < path.length; i++) {
            positions[i] = firstPosition + i;
        }
        for (int layer = 0; layer < keys.length; layer++) {
            float[] k = new float[path.length * w];
            float[] v = new float[path.length * w];
            for (int i = 0; i < path.length; i++) {
                System.arraycopy(keys[layer], path[i] * w, k, i * w, w);
                System.arraycopy(values[layer], path[i] * w, v, i * w, w);
            }
            cache.append(layer, k, v, positions, path.length);
        }
    }

    @Override
    public int[] positions(int layer) {
        return cache.positions(layer);
    }

    @Override
    public float[] keys(int layer) {
        return cache.keys(layer);
    }

    @Override
    public float[] values(int layer) {
        return cache.values(layer);
    }

    @Override
    public void evict(int layer, int[] slots) {
        cache.evict(layer, slots);
    }
}

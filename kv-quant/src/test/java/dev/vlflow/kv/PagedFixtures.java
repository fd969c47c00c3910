package dev.vlflow.kv;

import java.util.Arrays;
import java.util.Random;

/** Paged caches with every kind of storage at once: pages of 16/8/4/2 bits, staging buffers and the window. */
public final class PagedFixtures {

    private PagedFixtures() {
    }

    /**
     * Appends {@code tokens} tokens in chunks, positions from {@code positions}, marking a random ~30% important
     * after each chunk and moving a few tokens to 16 and 8 bits, so pages of all four precisions, partly filled
     * staging buffers and a full window exist.
     */
    public static PagedKvCache mixed(CacheShape shape, KvCacheConfig config, int[] positions, long seed) {
        Random rnd = new Random(seed);
        PagedKvCache cache = new PagedKvCache(shape, config);
        int w = shape.tokenWidth();
        int tokens = positions.length;
        for (int layer = 0; layer < shape.layers(); layer++) {
            int done = 0;
            while (done < tokens) {
                int n = Math.min(tokens - done, 1 + rnd.nextInt(70));
                float[] k = keys(rnd, n, shape);
                float[] v = Fixtures.normal(rnd, n * w, 1f);
                cache.append(layer, k, v, Arrays.copyOfRange(positions, done, done + n), n);
                done += n;
                boolean[] important = new boolean[cache.size(layer)];
                for (int s = 0; s < important.length; s++) {
                    important[s] = rnd.nextFloat() < 0.3f;
                }
                cache.setImportance(layer, important);
                if (rnd.nextInt(3) == 0 && cache.size(layer) > 4) {
                    cache.setPrecision(layer, new int[] {rnd.nextInt(cache.size(layer))}, rnd.nextBoolean() ? 16 : 8);
                }
            }
        }
        return cache;
    }

    /** Keys with per-channel offsets (outlier channels), as keys after RoPE tend to have. */
    public static float[] keys(Random rnd, int n, CacheShape shape) {
        int w = shape.tokenWidth();
        float[] k = Fixtures.normal(rnd, n * w, 1f);
        for (int t = 0; t < n; t++) {
            for (int c = 0; c < w; c += 5) {
                k[t * w + c] += 4f;
            }
        }
        return k;
    }
}

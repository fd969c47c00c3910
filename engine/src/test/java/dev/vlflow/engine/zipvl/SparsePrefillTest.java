package dev.vlflow.engine.zipvl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vlflow.kv.AttentionQuery;
import dev.vlflow.kv.CacheShape;
import dev.vlflow.kv.FloatKvCache;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * One sparse layer on a float cache with constructed attention (no model): flat attention keeps most tokens, peaked
 * attention few; unimportant rows get zero output; tau = 1 equals dense attention.
 */
class SparsePrefillTest {

    private static final int HEADS = 2;
    private static final int D = 8;
    private static final int N = 200;
    private static final CacheShape SHAPE = new CacheShape(2, 1, D);
    private static final float SCALE = (float) (1 / Math.sqrt(D));

    /** Keys [N, 1, D]: random small, except {@code sinks} tokens aligned with every query. */
    private static float[] keys(int[] sinks, float sinkNorm) {
        Random rng = new Random(3);
        float[] k = new float[N * D];
        for (int i = 0; i < k.length; i++) {
            k[i] = (float) rng.nextGaussian() * 0.1f;
        }
        for (int s : sinks) {
            for (int c = 0; c < D; c++) {
                k[s * D + c] = sinkNorm;
            }
        }
        return k;
    }

    private static float[] queries() {
        float[] q = new float[N * HEADS * D];
        java.util.Arrays.fill(q, 1f);
        return q;
    }

    private static int[] positions() {
        int[] p = new int[N];
        for (int i = 0; i < N; i++) {
            p[i] = i;
        }
        return p;
    }

    private static SparsePrefill run(ZipVlOptions options, float[] keys, float[] out) {
        FloatKvCache cache = new FloatKvCache(SHAPE);
        cache.append(1, keys, values(), positions(), N);
        SparsePrefill prefill = SparsePrefill.start(options, 2, HEADS, SCALE, 0);
        prefill.attend(1, queries(), N, positions(), cache, out);
        return prefill;
    }

    private static float[] values() {
        float[] v = new float[N * D];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) Math.cos(i * 0.37);
        }
        return v;
    }

    @Test
    void keptRatioIsHighForFlatAttentionAndLowForPeakedAttention() {
        ZipVlOptions options = ZipVlOptions.defaults();
        double flat = run(options, keys(new int[0], 0), new float[N * HEADS * D]).stats().orElseThrow()
                .keptRatio(1);
        double peaked = run(options, keys(new int[] {0, 1, 2, 3}, 6f), new float[N * HEADS * D]).stats()
                .orElseThrow().keptRatio(1);
        assertTrue(flat > 0.8, "flat attention keeps most tokens: " + flat);
        assertTrue(peaked < 0.1, "peaked attention keeps few tokens: " + peaked);
    }

    @Test
    void unimportantRowsGetZeroOutputAndImportantRowsSeeOnlyImportantTokens() {
        float[] out = new float[N * HEADS * D];
        SparsePrefill p = run(ZipVlOptions.defaults(), keys(new int[] {0, 1, 2, 3}, 6f), out);
        long kept = p.stats().orElseThrow().kept()[1];
        int nonZero = 0;
        for (int r = 0; r < N; r++) {
            boolean any = false;
            for (int c = 0; c < HEADS * D; c++) {
                any |= out[r * HEADS * D + c] != 0;
            }
            nonZero += any ? 1 : 0;
        }
        assertEquals(kept, nonZero);
        assertTrue(out[(N - 1) * HEADS * D] != 0, "the last token is always kept");
        // 128 probe rows of 200 cost most of what sparse attention saves at this size
        assertTrue(p.stats().orElseThrow().attentionFlopsSaved() > 0.2, "saved " + p.stats().orElseThrow().attentionFlopsSaved());
    }

    @Test
    void tauOneKeepsEveryTokenAndEqualsDenseAttention() {
        float[] sparse = new float[N * HEADS * D];
        SparsePrefill p = run(ZipVlOptions.defaults().withTau(1.0), keys(new int[] {5}, 2f), sparse);
        assertEquals(N, p.stats().orElseThrow().kept()[1]);
        FloatKvCache cache = new FloatKvCache(SHAPE);
        float[] k = keys(new int[] {5}, 2f);
        cache.append(1, k, values(), positions(), N);
        float[] dense = new float[N * HEADS * D];
        cache.attend(1, AttentionQuery.causal(queries(), N, HEADS, positions(), SCALE), dense);
        assertArrayEquals(dense, sparse, 1e-6f);
    }

    @Test
    void aBlockOfNoMoreRowsThanProbesAttendsDenselyThroughTheProbeCall() {
        float[] sparse = new float[N * HEADS * D];
        SparsePrefill p = run(ZipVlOptions.defaults().withProbes(150, 50), keys(new int[] {0, 1}, 6f), sparse);
        assertTrue(p.stats().orElseThrow().keptRatio(1) < 0.1, "importance still splits the bits: " + p.stats().orElseThrow().keptRatio(1));
        FloatKvCache cache = new FloatKvCache(SHAPE);
        cache.append(1, keys(new int[] {0, 1}, 6f), values(), positions(), N);
        float[] dense = new float[N * HEADS * D];
        cache.attend(1, AttentionQuery.causal(queries(), N, HEADS, positions(), SCALE), dense);
        assertArrayEquals(dense, sparse, 1e-6f);
        assertEquals(0.0, p.stats().orElseThrow().attentionFlopsSaved());
    }

    @Test
    void aDenseLayerKeepsEveryTokenWithoutProbes() {
        FloatKvCache cache = new FloatKvCache(SHAPE);
        cache.append(0, keys(new int[] {0}, 6f), values(), positions(), N);
        SparsePrefill prefill = SparsePrefill.start(ZipVlOptions.defaults(), 2, HEADS, SCALE, 0);
        prefill.attend(0, queries(), N, positions(), cache, new float[N * HEADS * D]);
        assertEquals(1.0, prefill.stats().orElseThrow().keptRatio(0));
        assertEquals(0.0, prefill.stats().orElseThrow().attentionFlopsSaved());
    }
}

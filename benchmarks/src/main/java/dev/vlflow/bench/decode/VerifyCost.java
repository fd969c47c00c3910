package dev.vlflow.bench.decode;

import dev.vlflow.engine.VlModel;
import dev.vlflow.engine.runtime.DecoderRunner;
import dev.vlflow.engine.runtime.LayerPlan;
import dev.vlflow.engine.runtime.LogitRows;
import dev.vlflow.kv.AttentionMask;
import dev.vlflow.kv.KvCache;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * What verification costs on a model: after a prefill, the median time of one verification pass over k tokens
 * (every logit row) relative to one plain decode step (one token, last row), measured alternately so drift hits
 * both; the cache is truncated back after each pass.
 */
final class VerifyCost {

    static final int[] BLOCKS = {1, 2, 4, 8};

    private VerifyCost() {
    }

    /**
     * @param stepMillis median time of one plain decode step
     * @param ratios     block size -> median verification pass time / median decode step time
     */
    record Result(double stepMillis, Map<Integer, Double> ratios) {
    }

    static Result measure(VlModel model, int context, int repeats) {
        DecoderRunner d = model.decoder();
        int vocab = Math.min(model.config().text().vocabSize(), model.config().imageTokenId());
        SplittableRandom random = new SplittableRandom(3);
        int[] ids = random.ints(context + 8, 0, vocab).toArray();
        int[] positions = new int[context + 8];
        Arrays.setAll(positions, i -> i);
        KvCache cache = model.options().kvCache().create(model.cacheShape());
        d.prefill(d.embed(Arrays.copyOf(ids, context)), context, Arrays.copyOf(positions, context), cache,
                model.options().prefillChunk());
        LayerPlan full = LayerPlan.full(model.config().text().numHiddenLayers());
        long[] step = new long[repeats];
        long[][] pass = new long[BLOCKS.length][repeats];
        for (int r = -1; r < repeats; r++) { // r = -1 warms up
            long t0 = System.nanoTime();
            d.forward(d.embed(new int[] {ids[context]}), 1, new int[] {context}, cache, LogitRows.LAST);
            long t1 = System.nanoTime();
            cache.truncate(context);
            if (r >= 0) {
                step[r] = t1 - t0;
            }
            for (int b = 0; b < BLOCKS.length; b++) {
                int k = BLOCKS[b];
                long s0 = System.nanoTime();
                d.decode(d.embed(Arrays.copyOfRange(ids, context, context + k)), k,
                        Arrays.copyOfRange(positions, context, context + k), new AttentionMask.Causal(), cache, full);
                long s1 = System.nanoTime();
                cache.truncate(context);
                if (r >= 0) {
                    pass[b][r] = s1 - s0;
                }
            }
        }
        double stepMedian = median(step);
        Map<Integer, Double> out = new LinkedHashMap<>();
        for (int b = 0; b < BLOCKS.length; b++) {
            out.put(BLOCKS[b], median(pass[b]) / stepMedian);
        }
        return new Result(stepMedian / 1e6, out);
    }

    private static double median(long[] values) {
        long[] s = values.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2.0;
    }
}

package dev.vlflow.engine.quant;

import dev.vlflow.engine.VlModel;
import dev.vlflow.engine.runtime.ForwardResult;
import dev.vlflow.engine.runtime.LogitRows;
import dev.vlflow.kv.KvCache;

/**
 * How closely a model's logits follow a reference's (the same checkpoint at another weight precision) over the rows
 * of one prompt.
 *
 * @param rows            prompt positions compared
 * @param maxAbsDiff      largest |reference - other| over every logit of every row
 * @param maxLogit        largest |reference logit|, for scale
 * @param top1Agreement   share of rows whose argmax is the same, in [0, 1]
 */
public record LogitAgreement(int rows, double maxAbsDiff, double maxLogit, double top1Agreement) {

    /**
     * Compares {@code other} with {@code reference}, both {@code [rows, vocab]}.
     */
    public static LogitAgreement of(float[] reference, float[] other, int vocab) {
        if (reference.length != other.length || reference.length % vocab != 0) {
            throw new IllegalArgumentException("logits of " + reference.length + " and " + other.length
                    + " floats are not rows of the same " + vocab + " ids");
        }
        int rows = reference.length / vocab;
        double worst = 0;
        double scale = 0;
        int agree = 0;
        for (int r = 0; r < rows; r++) {
            int refBest = r * vocab;
            int otherBest = r * vocab;
            for (int i = r * vocab; i < (r + 1) * vocab; i++) {
                worst = Math.max(worst, Math.abs((double) reference[i] - other[i]));
                scale = Math.max(scale, Math.abs(reference[i]));
                refBest = reference[i] > reference[refBest] ? i : refBest;
                otherBest = other[i] > other[otherBest] ? i : otherBest;
            }
            agree += refBest == otherBest ? 1 : 0;
        }
        return new LogitAgreement(rows, worst, scale, rows == 0 ? 1 : (double) agree / rows);
    }

    /**
     * The logits of every position of the prompt {@code ids} (positions {@code 0..n-1}, a fresh cache, one forward
     * pass): {@code [n, vocab]}.
     */
    public static float[] promptLogits(VlModel model, int[] ids) {
        KvCache cache = model.options().kvCache().create(model.cacheShape());
        int[] positions = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            positions[i] = i;
        }
        ForwardResult r = model.decoder().forward(model.decoder().embed(ids), ids.length, positions, cache,
                LogitRows.ALL);
        return r.logits();
    }
}

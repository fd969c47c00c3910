package dev.vlflow.engine.runtime;

import dev.vlflow.engine.Sampling;
import java.util.Arrays;
import java.util.SplittableRandom;

/** Picks the next token from a logit row according to a {@link Sampling} mode. One instance per answer. */
public final class Sampler {

    private final Sampling sampling;
    private final SplittableRandom random;

    public Sampler(Sampling sampling) {
        this.sampling = sampling;
        this.random = sampling instanceof Sampling.TopP p ? new SplittableRandom(p.seed()) : null;
    }

    public int next(float[] logits) {
        if (sampling instanceof Sampling.TopP p) {
            return topP(logits, p.temperature(), p.topP());
        }
        return argmax(logits);
    }

    public static int argmax(float[] logits) {
        int best = 0;
        for (int i = 1; i < logits.length; i++) {
            if (logits[i] > logits[best]) {
                best = i;
            }
        }
        return best;
    }

    private int topP(float[] logits, double temperature, double topP) {
        int n = logits.length;
        double max = Double.NEGATIVE_INFINITY;
        for (float l : logits) {
            max = Math.max(max, l);
        }
        double[] probs = new double[n];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            probs[i] = Math.exp((logits[i] - max) / temperature);
            sum += probs[i];
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
            probs[i] /= sum;
        }
        Arrays.sort(order, (a, b) -> probs[b] != probs[a] ? Double.compare(probs[b], probs[a]) : Integer.compare(a, b));
        double kept = 0;
        int keep = 0;
        while (keep < n && (keep == 0 || kept < topP)) {
            kept += probs[order[keep]];
            keep++;
        }
        double u = random.nextDouble() * kept;
        double acc = 0;
        for (int i = 0; i < keep; i++) {
            acc += probs[order[i]];
            if (u < acc) {
                return order[i];
            }
        }
        return order[keep - 1];
    }
}

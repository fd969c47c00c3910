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

    /** Whether this sampler draws at random (nucleus sampling) rather than taking the argmax. */
    public boolean random() {
        return random != null;
    }

    /**
     * The distribution {@link #next} draws from: softmax at the temperature, restricted to the nucleus and
     * renormalized. Only for a random sampler.
     *
     * @return [vocab] probabilities summing to 1
     */
    public double[] distribution(float[] logits) {
        Sampling.TopP p = topP();
        Nucleus nucleus = nucleus(logits, p.temperature(), p.topP());
        double[] out = new double[logits.length];
        for (int i = 0; i < nucleus.keep(); i++) {
            int id = nucleus.order()[i];
            out[id] = nucleus.probs()[id] / nucleus.kept();
        }
        return out;
    }

    /** A uniform draw in [0, 1) from this sampler's generator. */
    public double uniform() {
        topP();
        return random.nextDouble();
    }

    /** Draws an index from {@code probs} (non-negative, any positive sum) with this sampler's generator. */
    public int sample(double[] probs) {
        double sum = 0;
        int lastPositive = 0;
        for (int i = 0; i < probs.length; i++) {
            sum += probs[i];
            lastPositive = probs[i] > 0 ? i : lastPositive;
        }
        double u = uniform() * sum;
        double acc = 0;
        for (int i = 0; i < probs.length; i++) {
            acc += probs[i];
            if (u < acc) {
                return i;
            }
        }
        return lastPositive;
    }

    private Sampling.TopP topP() {
        if (sampling instanceof Sampling.TopP p) {
            return p;
        }
        throw new IllegalStateException("a greedy sampler has no distribution");
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

    /**
     * The most likely tokens holding {@code topP} of the softmax mass at {@code temperature}.
     *
     * @param probs [vocab] softmax probabilities
     * @param order [vocab] ids, most likely first (ties: lower id first)
     * @param keep  how many of {@code order} form the nucleus
     * @param kept  their mass
     */
    private record Nucleus(double[] probs, Integer[] order, int keep, double kept) {
    }

    private static Nucleus nucleus(float[] logits, double temperature, double topP) {
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
        return new Nucleus(probs, order, keep, kept);
    }

    private int topP(float[] logits, double temperature, double topP) {
        Nucleus nucleus = nucleus(logits, temperature, topP);
        double[] probs = nucleus.probs();
        Integer[] order = nucleus.order();
        int keep = nucleus.keep();
        double kept = nucleus.kept();
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

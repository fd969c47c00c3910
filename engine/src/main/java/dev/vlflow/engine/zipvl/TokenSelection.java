package dev.vlflow.engine.zipvl;

import java.util.Arrays;
import java.util.OptionalDouble;
import java.util.SplittableRandom;

/**
 * ZipVL's importance rules on one layer's block of tokens (ALGORITHMS.md §1.3), as pure functions: which rows are
 * probes, how many tokens are important (Eq. 6), which ones (Eq. 7–8).
 */
public final class TokenSelection {

    private TokenSelection() {
    }

    /**
     * The probe rows of a block of {@code n} tokens: the last {@code min(recent, n)} and {@code random} distinct
     * others drawn uniformly (all of them if fewer remain), sorted ascending.
     */
    public static int[] probes(int n, int recent, int random, SplittableRandom rng) {
        int last = Math.min(recent, n);
        int rest = n - last;
        int drawn = Math.min(random, rest);
        int[] out = new int[last + drawn];
        // partial Fisher-Yates over the rows before the recent ones
        int[] pool = new int[rest];
        for (int i = 0; i < rest; i++) {
            pool[i] = i;
        }
        for (int i = 0; i < drawn; i++) {
            int j = i + rng.nextInt(rest - i);
            int t = pool[i];
            pool[i] = pool[j];
            pool[j] = t;
            out[i] = pool[i];
        }
        for (int i = 0; i < last; i++) {
            out[drawn + i] = rest + i;
        }
        Arrays.sort(out);
        return out;
    }

    /**
     * Eq. 6: the smallest {@code p >= 1} such that the {@code p} largest values of {@code mass} hold at least
     * {@code tau} of its sum.
     *
     * @param mass [n] raw attention mass each token received from the probes (all heads)
     */
    public static int importantCount(float[] mass, double tau) {
        float[] sorted = mass.clone();
        Arrays.sort(sorted);
        double total = 0;
        for (int i = sorted.length - 1; i >= 0; i--) {
            total += sorted[i];
        }
        double kept = 0;
        int p = 0;
        for (int i = sorted.length - 1; i >= 0 && (p == 0 || kept < tau * total); i--) {
            kept += sorted[i];
            p++;
        }
        return Math.max(1, p);
    }

    /**
     * Eq. 7: mass divided by how many probe queries (times heads) may see each token under the causal mask.
     *
     * @param mass           [n] raw mass per token of the block
     * @param positions      [n] original positions of the block's tokens
     * @param probePositions sorted original positions of the probe rows
     * @param heads          query heads summed into {@code mass}
     */
    public static double[] normalizedScores(float[] mass, int[] positions, int[] probePositions, int heads) {
        double[] score = new double[mass.length];
        for (int j = 0; j < mass.length; j++) {
            int seeing = probePositions.length - lowerBound(probePositions, positions[j]);
            score[j] = seeing == 0 ? 0 : mass[j] / ((double) heads * seeing);
        }
        return score;
    }

    /**
     * Eq. 8: the {@code p} highest scores (ties by index), plus the last token when {@code keepLast}, sorted
     * ascending.
     */
    public static int[] top(double[] score, int p, boolean keepLast) {
        int n = score.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> score[a] != score[b] ? Double.compare(score[b], score[a]) : Integer.compare(a, b));
        boolean[] in = new boolean[n];
        int count = 0;
        for (int i = 0; i < Math.min(p, n); i++) {
            in[order[i]] = true;
            count++;
        }
        if (keepLast && n > 0 && !in[n - 1]) {
            in[n - 1] = true;
            count++;
        }
        int[] out = new int[count];
        for (int i = 0, k = 0; i < n; i++) {
            if (in[i]) {
                out[k++] = i;
            }
        }
        return out;
    }

    /**
     * The important tokens of a block from the probes' mass: the adaptive count of Eq. 6 (or {@code ratio·n} when
     * forced), chosen by the normalized scores of Eq. 7, the last token always kept.
     *
     * @return sorted block indices
     */
    public static Selection select(float[] mass, int[] positions, int[] probePositions, int heads, double tau,
                                   OptionalDouble forcedRatio) {
        int n = mass.length;
        int p = forcedRatio.isPresent()
                ? Math.max(1, (int) Math.round(forcedRatio.getAsDouble() * n))
                : importantCount(mass, tau);
        return new Selection(p, top(normalizedScores(mass, positions, probePositions, heads), p, true));
    }

    /**
     * @param count important tokens by Eq. 6 (or the forced ratio), before the last token is added
     * @param kept  sorted indices of the important tokens of the block
     */
    public record Selection(int count, int[] kept) {
    }

    private static int lowerBound(int[] sorted, int key) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < key) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}

package dev.vlflow.engine.zipvl;

import java.util.Arrays;

/**
 * What ZipVL did over one or more prefills: tokens kept per layer, and attention work as query-key pairs (the
 * dense causal count, and what sparse attention plus the probe rows computed).
 *
 * @param tokens      [layers] tokens prefilled per layer
 * @param kept        [layers] of them important (in T)
 * @param densePairs  query-key pairs dense causal attention would have scored
 * @param sparsePairs pairs scored by sparse attention and the probes
 */
public record ZipVlStats(long[] tokens, long[] kept, long densePairs, long sparsePairs) {

    public ZipVlStats {
        tokens = tokens.clone();
        kept = kept.clone();
    }

    public static ZipVlStats empty(int layers) {
        return new ZipVlStats(new long[layers], new long[layers], 0, 0);
    }

    /** Share of tokens kept important in {@code layer} (1 when nothing was prefilled). */
    public double keptRatio(int layer) {
        return tokens[layer] == 0 ? 1 : (double) kept[layer] / tokens[layer];
    }

    /** Kept ratio per layer. */
    public double[] keptRatios() {
        double[] r = new double[tokens.length];
        for (int l = 0; l < r.length; l++) {
            r[l] = keptRatio(l);
        }
        return r;
    }

    /** Mean over layers of the kept ratio. */
    public double meanKeptRatio() {
        return Arrays.stream(keptRatios()).average().orElse(1);
    }

    /** Mean kept ratio over the layers that are not in {@code options}' dense set. */
    public double meanSparseKeptRatio(ZipVlOptions options) {
        double sum = 0;
        int n = 0;
        for (int l = 0; l < tokens.length; l++) {
            if (!options.dense(l)) {
                sum += keptRatio(l);
                n++;
            }
        }
        return n == 0 ? 1 : sum / n;
    }

    /**
     * Rows the layers ran over what they would have run without token dropping (the share of linear work done): 1
     * without dropping.
     */
    public double rowShare() {
        long all = 0;
        long ran = 0;
        for (long t : tokens) {
            ran += t;
            all += tokens[0];
        }
        return all == 0 ? 1 : (double) ran / all;
    }

    /** Share of dense attention work (query-key pairs, probes included) that was not done. */
    public double attentionFlopsSaved() {
        return densePairs == 0 ? 0 : 1 - (double) sparsePairs / densePairs;
    }

    /** Both runs together. */
    public ZipVlStats plus(ZipVlStats other) {
        long[] t = tokens.clone();
        long[] k = kept.clone();
        for (int l = 0; l < t.length; l++) {
            t[l] += other.tokens[l];
            k[l] += other.kept[l];
        }
        return new ZipVlStats(t, k, densePairs + other.densePairs, sparsePairs + other.sparsePairs);
    }

    /** One line: mean kept ratio, attention work saved. */
    public String summary() {
        return String.format(java.util.Locale.ROOT, "kept %.1f%% of tokens (mean over layers), attention work %.1f%% "
                + "of dense (probes included)", 100 * meanKeptRatio(), 100 * (1 - attentionFlopsSaved()))
                + (rowShare() < 1 ? String.format(java.util.Locale.ROOT, ", layers ran %.1f%% of the rows (token "
                + "dropping)", 100 * rowShare()) : "");
    }

    /** Accumulates one prefill's statistics; owned by one prefill call. */
    static final class Recorder {
        private final long[] tokens;
        private final long[] kept;
        private long densePairs;
        private long sparsePairs;

        Recorder(int layers) {
            tokens = new long[layers];
            kept = new long[layers];
        }

        void layer(int layer, int blockTokens, int keptTokens, long dense, long done) {
            tokens[layer] += blockTokens;
            kept[layer] += keptTokens;
            densePairs += dense;
            sparsePairs += done;
        }

        ZipVlStats stats() {
            return new ZipVlStats(tokens, kept, densePairs, sparsePairs);
        }
    }
}

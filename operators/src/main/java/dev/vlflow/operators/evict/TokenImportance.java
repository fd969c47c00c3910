package dev.vlflow.operators.evict;

import dev.vlflow.kv.CacheShape;

/**
 * How much the recent tokens attend to each cached token of one layer, as a query-agnostic importance score. The
 * keys of the last {@code probes} slots stand in for queries (the cache keeps no queries); per KV head, each probe's
 * scaled dot products with every key go through a softmax, and a token's score is the attention mass it receives,
 * summed over probes and heads. Keys are compared after RoPE, as attention sees them.
 */
public final class TokenImportance {

    private TokenImportance() {
    }

    /**
     * @param keys [size, kvHeads, headDim] one layer's keys
     * @return [size] importance of each slot
     */
    public static double[] score(CacheShape shape, float[] keys, int size, int probes) {
        int heads = shape.kvHeads();
        int d = shape.headDim();
        int w = shape.tokenWidth();
        double scale = 1.0 / Math.sqrt(d);
        double[] importance = new double[size];
        double[] logits = new double[size];
        for (int p = Math.max(0, size - probes); p < size; p++) {
            for (int h = 0; h < heads; h++) {
                int q = p * w + h * d;
                double max = Double.NEGATIVE_INFINITY;
                for (int i = 0; i < size; i++) {
                    int k = i * w + h * d;
                    double dot = 0;
                    for (int c = 0; c < d; c++) {
                        dot += keys[q + c] * keys[k + c];
                    }
                    logits[i] = dot * scale;
                    max = Math.max(max, logits[i]);
                }
                double sum = 0;
                for (int i = 0; i < size; i++) {
                    logits[i] = Math.exp(logits[i] - max);
                    sum += logits[i];
                }
                for (int i = 0; i < size; i++) {
                    importance[i] += logits[i] / sum;
                }
            }
        }
        return importance;
    }
}

package dev.vlflow.engine.reference;

/**
 * Scalar attention for the reference: rotary position embedding (Hugging Face rotate-half layout) and
 * scaled-dot-product attention, causal with grouped KV heads (Qwen2) or bidirectional (SigLIP).
 * Activations are row-major {@code [tokens, heads * headDim]}, head-major within a row, as the projections emit them.
 */
public final class ReferenceAttention {

    private ReferenceAttention() {
    }

    /**
     * Rotary embedding in the rotate-half layout, applied to every head of every token. For token {@code t} at
     * position {@code positions[t]}, dimension pair {@code (i, i + d/2)} with {@code i < d/2} is rotated by the angle
     * {@code pos * theta^(-2i/d)}:
     * {@code out[i] = x[i] cos - x[i + d/2] sin}, {@code out[i + d/2] = x[i + d/2] cos + x[i] sin}.
     * Angles are computed in double (Hugging Face computes them in float32, which differs by ~pos * 6e-8 rad).
     *
     * @param x         [tokens, heads * headDim]
     * @param positions [tokens]
     * @return [tokens, heads * headDim], rotated
     */
    public static float[] rope(float[] x, int[] positions, int heads, int headDim, double theta) {
        if (headDim % 2 != 0) {
            throw new IllegalArgumentException("rope needs an even head dimension, got " + headDim);
        }
        int tokens = positions.length;
        ReferenceMath.checkLength("rope input", x, (long) tokens * heads * headDim);
        int half = headDim / 2;
        float[] y = new float[x.length];
        for (int t = 0; t < tokens; t++) {
            for (int i = 0; i < half; i++) {
                double invFreq = Math.pow(theta, -2.0 * i / headDim);
                double angle = positions[t] * invFreq;
                double cos = Math.cos(angle);
                double sin = Math.sin(angle);
                for (int h = 0; h < heads; h++) {
                    int base = (t * heads + h) * headDim;
                    double lo = x[base + i];
                    double hi = x[base + i + half];
                    y[base + i] = (float) (lo * cos - hi * sin);
                    y[base + i + half] = (float) (hi * cos + lo * sin);
                }
            }
        }
        return y;
    }

    /**
     * Causal grouped-query attention: query head {@code h} attends with KV head {@code h / (qHeads / kvHeads)} to
     * tokens {@code 0..t} of the same sequence, with scores scaled by {@code 1/sqrt(headDim)}.
     *
     * @param q [tokens, qHeads * headDim]
     * @param k [tokens, kvHeads * headDim]
     * @param v [tokens, kvHeads * headDim]
     * @return [tokens, qHeads * headDim], the per-head outputs concatenated (input of o_proj)
     */
    public static float[] causalGqa(float[] q, float[] k, float[] v, int tokens, int qHeads, int kvHeads, int headDim) {
        return attention(q, k, v, tokens, qHeads, kvHeads, headDim, true);
    }

    /**
     * Bidirectional multi-head attention (every token sees every token), scaled by {@code 1/sqrt(headDim)}.
     *
     * @param q [tokens, heads * headDim]
     * @param k [tokens, heads * headDim]
     * @param v [tokens, heads * headDim]
     * @return [tokens, heads * headDim]
     */
    public static float[] bidirectional(float[] q, float[] k, float[] v, int tokens, int heads, int headDim) {
        return attention(q, k, v, tokens, heads, heads, headDim, false);
    }

    private static float[] attention(float[] q, float[] k, float[] v, int tokens, int qHeads, int kvHeads,
                                     int headDim, boolean causal) {
        if (qHeads % kvHeads != 0) {
            throw new IllegalArgumentException(qHeads + " query heads are not a multiple of " + kvHeads + " KV heads");
        }
        ReferenceMath.checkLength("attention q", q, (long) tokens * qHeads * headDim);
        ReferenceMath.checkLength("attention k", k, (long) tokens * kvHeads * headDim);
        ReferenceMath.checkLength("attention v", v, (long) tokens * kvHeads * headDim);
        int group = qHeads / kvHeads;
        double scale = 1.0 / Math.sqrt(headDim);
        int qWidth = qHeads * headDim;
        int kvWidth = kvHeads * headDim;
        float[] out = new float[tokens * qWidth];
        double[] scores = new double[tokens];
        for (int t = 0; t < tokens; t++) {
            int visible = causal ? t + 1 : tokens;
            for (int h = 0; h < qHeads; h++) {
                int kvHead = h / group;
                int qBase = t * qWidth + h * headDim;
                for (int s = 0; s < visible; s++) {
                    int kBase = s * kvWidth + kvHead * headDim;
                    double dot = 0;
                    for (int d = 0; d < headDim; d++) {
                        dot += (double) q[qBase + d] * k[kBase + d];
                    }
                    scores[s] = dot * scale;
                }
                double[] p = ReferenceMath.softmax(scores, visible);
                for (int d = 0; d < headDim; d++) {
                    double acc = 0;
                    for (int s = 0; s < visible; s++) {
                        acc += p[s] * v[s * kvWidth + kvHead * headDim + d];
                    }
                    out[qBase + d] = (float) acc;
                }
            }
        }
        return out;
    }
}

package dev.vlflow.engine.runtime;

/**
 * Rotary position embedding, rotate-half layout (Qwen2 / Hugging Face): for {@code i < d/2} the pair is
 * {@code (x[i], x[i + d/2])} rotated by angle {@code pos * theta^(-2i/d)}. Applied in place at each token's
 * original position, so a cache slot keeps the position its key was rotated with. Linear scaling
 * ({@code rope_type: linear}) divides every inverse frequency by its factor, as transformers'
 * {@code _compute_linear_scaling_rope_parameters} does.
 */
public final class Rope {

    private final int headDim;
    private final float[] invFreq; // [headDim / 2]

    public Rope(int headDim, double theta) {
        this(headDim, theta, 1.0);
    }

    /** @param linearFactor positions are divided by it (1 = plain RoPE) */
    public Rope(int headDim, double theta, double linearFactor) {
        if (headDim % 2 != 0) {
            throw new IllegalArgumentException("RoPE needs an even head dim, got " + headDim);
        }
        this.headDim = headDim;
        this.invFreq = new float[headDim / 2];
        for (int i = 0; i < invFreq.length; i++) {
            // as transformers: 1 / theta^(arange(0, d, 2) / d), computed in float32
            invFreq[i] = (float) (1.0 / Math.pow(theta, (2.0 * i) / headDim));
            if (linearFactor != 1.0) {
                invFreq[i] = invFreq[i] / (float) linearFactor; // inv_freq /= factor, in float32
            }
        }
    }

    /** The angle per position of rotation pair {@code i}, {@code i < headDim / 2}. */
    public float inverseFrequency(int i) {
        return invFreq[i];
    }

    /**
     * Rotates every head of every token in place.
     *
     * @param x         [tokens, heads, headDim]
     * @param positions [tokens]
     */
    public void apply(float[] x, int tokens, int heads, int[] positions) {
        int half = headDim / 2;
        float[] cos = new float[half];
        float[] sin = new float[half];
        for (int t = 0; t < tokens; t++) {
            float pos = positions[t];
            for (int i = 0; i < half; i++) {
                float angle = pos * invFreq[i];
                cos[i] = (float) Math.cos(angle);
                sin[i] = (float) Math.sin(angle);
            }
            for (int h = 0; h < heads; h++) {
                int base = (t * heads + h) * headDim;
                for (int i = 0; i < half; i++) {
                    float x1 = x[base + i];
                    float x2 = x[base + i + half];
                    x[base + i] = x1 * cos[i] - x2 * sin[i];
                    x[base + i + half] = x2 * cos[i] + x1 * sin[i];
                }
            }
        }
    }
}

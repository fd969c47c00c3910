package dev.vlflow.kv;

/**
 * Scalar attention over float keys and values with any {@link AttentionMask}; softmax in fp32 with the running
 * maximum subtracted. This is the reference the fused quantized kernels are tested against.
 */
public final class FloatAttention {

    private FloatAttention() {
    }

    /**
     * @param keys      [size, kvHeads, headDim]
     * @param values    [size, kvHeads, headDim]
     * @param positions [size] original positions per slot
     * @param out       [count, heads, headDim]
     */
    public static void attend(AttentionQuery q, float[] keys, float[] values, int[] positions, int size,
                              CacheShape shape, float[] out) {
        int heads = q.heads();
        int kvHeads = shape.kvHeads();
        int d = shape.headDim();
        if (heads % kvHeads != 0) {
            throw new IllegalArgumentException(heads + " query heads do not divide into " + kvHeads + " KV heads");
        }
        if (q.headDim() != d) {
            throw new IllegalArgumentException("query head dim " + q.headDim() + " != cache head dim " + d);
        }
        int group = heads / kvHeads;
        int w = shape.tokenWidth();
        float[] scores = new float[size];
        boolean[] visible = new boolean[size];
        float[] mass = q.keyMass().orElse(null);
        for (int i = 0; i < q.count(); i++) {
            int visibleCount = visibility(q, i, positions, size, visible);
            for (int h = 0; h < heads; h++) {
                int kvh = h / group;
                int qOff = (i * heads + h) * d;
                int oOff = qOff;
                if (visibleCount == 0) {
                    java.util.Arrays.fill(out, oOff, oOff + d, 0f);
                    continue;
                }
                float max = Float.NEGATIVE_INFINITY;
                for (int s = 0; s < size; s++) {
                    if (!visible[s]) {
                        continue;
                    }
                    int kOff = s * w + kvh * d;
                    float dot = 0f;
                    for (int c = 0; c < d; c++) {
                        dot += q.queries()[qOff + c] * keys[kOff + c];
                    }
                    float sc = dot * q.scale();
                    scores[s] = sc;
                    if (sc > max) {
                        max = sc;
                    }
                }
                float sum = 0f;
                for (int s = 0; s < size; s++) {
                    if (visible[s]) {
                        float e = (float) Math.exp(scores[s] - max);
                        scores[s] = e;
                        sum += e;
                    }
                }
                float inv = 1f / sum;
                java.util.Arrays.fill(out, oOff, oOff + d, 0f);
                for (int s = 0; s < size; s++) {
                    if (!visible[s]) {
                        continue;
                    }
                    float p = scores[s] * inv;
                    if (mass != null) {
                        mass[s] += p;
                    }
                    int vOff = s * w + kvh * d;
                    for (int c = 0; c < d; c++) {
                        out[oOff + c] += p * values[vOff + c];
                    }
                }
            }
        }
    }

    /** Fills {@code visible[0..size)} for query {@code i} and returns how many keys it sees. */
    static int visibility(AttentionQuery q, int i, int[] positions, int size, boolean[] visible) {
        int qPos = q.positions()[i];
        int n = 0;
        AttentionMask mask = q.mask();
        if (mask instanceof AttentionMask.Causal) {
            for (int s = 0; s < size; s++) {
                visible[s] = positions[s] <= qPos;
                n += visible[s] ? 1 : 0;
            }
        } else if (mask instanceof AttentionMask.Tree tree) {
            boolean[][] anc = tree.ancestors();
            int prefix = size - anc.length;
            if (prefix < 0) {
                throw new IllegalArgumentException("tree of " + anc.length + " candidates but only " + size
                        + " cached tokens");
            }
            for (int s = 0; s < size; s++) {
                visible[s] = s < prefix || anc[i][s - prefix];
                n += visible[s] ? 1 : 0;
            }
        } else if (mask instanceof AttentionMask.Subset subset) {
            for (int s = 0; s < size; s++) {
                visible[s] = positions[s] <= qPos && subset.contains(positions[s]);
                n += visible[s] ? 1 : 0;
            }
        }
        return n;
    }
}

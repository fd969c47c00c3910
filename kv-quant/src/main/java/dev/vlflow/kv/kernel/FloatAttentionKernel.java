package dev.vlflow.kv.kernel;

import dev.vlflow.kv.AttentionQuery;
import dev.vlflow.kv.CacheShape;

/**
 * Vector API attention over float keys in the blocked channel-major layout of {@link KeyBlocks} and row-major
 * float values: the fast path of {@code FloatKvCache}. Its scalar twin is {@link dev.vlflow.kv.FloatAttention}
 * (over row-major keys), which it must match within float rounding (see {@code FloatAttentionKernelTest}).
 *
 * <p>Per query and KV head: every visible key block is scored for the whole GQA group at once, vectorized over
 * the block's 32 tokens (no horizontal sums; each key row is loaded once for up to 8 query heads); softmax is
 * exact two-pass in fp32 with a vectorized exp; the weighted value sum runs over tiles of slots that stay in L1
 * while every head of the group reads them, with the output accumulators in registers.
 */
public final class FloatAttentionKernel {

    private static final int BLOCK = KeyBlocks.BLOCK;
    /** Slots per value tile: 64 slots of one head at headDim 128 are 32 KiB. */
    private static final int TILE = 64;

    private FloatAttentionKernel() {
    }

    /**
     * @param keyBlocks [capacity / 32, kvHeads, headDim, 32] keys in the {@link KeyBlocks} layout
     * @param values    [size, kvHeads, headDim]
     * @param positions [size] original positions per slot
     * @param out       [count, heads, headDim] overwritten
     */
    public static void attend(AttentionQuery q, float[] keyBlocks, float[] values, int[] positions, int size,
                              CacheShape shape, float[] out) {
        KernelChecks.check(q, shape);
        int heads = q.heads();
        int kvHeads = shape.kvHeads();
        int d = shape.headDim();
        int group = heads / kvHeads;
        int w = shape.tokenWidth();
        Visibility visibility = Visibility.of(q, positions, size);
        int[] slots = new int[size];
        int[] rowOff = new int[size]; // value row offset per visible slot
        float[] probs = new float[group * Math.max(size, 1)]; // [group, visible]
        float[] blockScores = new float[group * BLOCK];       // [group, BLOCK]
        float[] mass = q.keyMass().orElse(null);
        float[] qs = q.queries();
        for (int i = 0; i < q.count(); i++) {
            int n = visibility.slots(i, slots);
            for (int kvh = 0; kvh < kvHeads; kvh++) {
                int qBase = (i * heads + kvh * group) * d; // first query head of this GQA group
                if (n == 0) {
                    java.util.Arrays.fill(out, qBase, qBase + group * d, 0f);
                    continue;
                }
                int j = 0;
                while (j < n) {
                    int block = slots[j] / BLOCK;
                    int kOff = (block * kvHeads + kvh) * d * BLOCK;
                    if (slots[j] % BLOCK == 0 && j + BLOCK <= n && slots[j + BLOCK - 1] == slots[j] + BLOCK - 1) {
                        TileMath.scoreTile(qs, qBase, group, d, keyBlocks, kOff, BLOCK, q.scale(), probs, j, size);
                        j += BLOCK;
                        continue;
                    }
                    TileMath.scoreTile(qs, qBase, group, d, keyBlocks, kOff, BLOCK, q.scale(), blockScores, 0,
                            BLOCK);
                    int end = (block + 1) * BLOCK;
                    for (; j < n && slots[j] < end; j++) {
                        int lane = slots[j] - block * BLOCK;
                        for (int g = 0; g < group; g++) {
                            probs[g * size + j] = blockScores[g * BLOCK + lane];
                        }
                    }
                }
                for (int g = 0; g < group; g++) {
                    Softmax.normalize(probs, g * size, n);
                    if (mass != null) {
                        for (int t = 0; t < n; t++) {
                            mass[slots[t]] += probs[g * size + t];
                        }
                    }
                }
                for (int t = 0; t < n; t++) {
                    rowOff[t] = slots[t] * w + kvh * d;
                }
                for (int j0 = 0; j0 < n; j0 += TILE) {
                    ValueSums.weightedSum(probs, 0, size, group, values, rowOff, j0, Math.min(n, j0 + TILE), d, out,
                            qBase, j0 > 0);
                }
            }
        }
    }
}

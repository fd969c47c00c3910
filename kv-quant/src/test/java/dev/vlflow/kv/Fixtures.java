package dev.vlflow.kv;

import java.util.Optional;
import java.util.Random;

/** Random tensors and query blocks for kv-quant tests; all seeded. */
public final class Fixtures {

    private Fixtures() {
    }

    /** {@code n} floats, normal with the given spread, plus a fixed per-channel offset every {@code period}. */
    public static float[] normal(Random rnd, int n, float spread) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) rnd.nextGaussian() * spread;
        }
        return x;
    }

    /** Positions 0..n-1 shuffled (a regrouped cache). */
    public static int[] shuffledPositions(Random rnd, int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    public static int[] range(int from, int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = from + i;
        }
        return p;
    }

    /** A query block with the given mask and an optional mass accumulator of {@code massSize} slots. */
    public static AttentionQuery query(Random rnd, int count, int heads, int headDim, int[] positions,
                                       AttentionMask mask, int massSize) {
        float[] q = normal(rnd, count * heads * headDim, 1f);
        Optional<float[]> mass = massSize > 0 ? Optional.of(new float[massSize]) : Optional.empty();
        return new AttentionQuery(q, count, heads, positions, mask, (float) (1 / Math.sqrt(headDim)), mass);
    }

    /** Same query vectors and mask with a fresh mass accumulator (or none). */
    public static AttentionQuery freshMass(AttentionQuery q, int massSize) {
        Optional<float[]> mass = massSize > 0 ? Optional.of(new float[massSize]) : Optional.empty();
        return new AttentionQuery(q.queries(), q.count(), q.heads(), q.positions(), q.mask(), q.scale(), mass);
    }

    /** A random tree over {@code n} candidates: node i's parent is a random earlier node. */
    public static AttentionMask.Tree tree(Random rnd, int n) {
        boolean[][] anc = new boolean[n][n];
        int[] parent = new int[n];
        for (int i = 0; i < n; i++) {
            parent[i] = i == 0 ? -1 : rnd.nextInt(i);
            anc[i][i] = true;
            for (int a = parent[i]; a >= 0; a = parent[a]) {
                anc[i][a] = true;
            }
        }
        return new AttentionMask.Tree(anc);
    }

    public static float maxAbsDiff(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new AssertionError("length " + a.length + " != " + b.length);
        }
        float m = 0f;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }
}

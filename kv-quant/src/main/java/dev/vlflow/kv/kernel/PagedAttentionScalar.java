package dev.vlflow.kv.kernel;

import dev.vlflow.kv.AttentionQuery;
import dev.vlflow.kv.CacheShape;
import dev.vlflow.kv.paged.LayerView;
import dev.vlflow.kv.paged.PageGeometry;
import java.util.Arrays;

/**
 * Scalar twin of {@link PagedAttentionKernel}: the same walk over tiles (decode a tile, use it, forget it), with
 * plain loops, the scalar tile decoder and {@code Math.exp}. Also the kernel for geometries the vector kernel
 * does not handle and for JVMs without the incubator module.
 */
public final class PagedAttentionScalar {

    private PagedAttentionScalar() {
    }

    /** @param out [count, heads, headDim] overwritten */
    public static void attend(AttentionQuery q, LayerView view, float[] out) {
        PageGeometry geo = view.geometry();
        CacheShape shape = geo.shape();
        KernelChecks.check(q, shape);
        int heads = q.heads();
        int d = shape.headDim();
        int g = geo.groupSize();
        int group = heads / shape.kvHeads();
        int size = view.size();
        Visibility visibility = Visibility.of(q, view.slotPositions(), size);
        int[] laneOfSlot = view.laneOfSlot();
        int[] slots = new int[size];
        float[] probs = new float[group * Math.max(size, 1)]; // [group][visible]
        float[] tile = new float[geo.tileElements()];
        float[] mass = q.keyMass().orElse(null);
        float[] qs = q.queries();
        for (int i = 0; i < q.count(); i++) {
            int n = visibility.slots(i, slots);
            for (int kvh = 0; kvh < shape.kvHeads(); kvh++) {
                int qBase = (i * heads + kvh * group) * d;
                Arrays.fill(out, qBase, qBase + group * d, 0f);
                if (n == 0) {
                    continue;
                }
                int decoded = -1;
                for (int j = 0; j < n; j++) {
                    int t = laneOfSlot[slots[j]] / g;
                    int lane = laneOfSlot[slots[j]] % g;
                    if (t != decoded) {
                        view.decodeKeys(t, kvh, tile);
                        decoded = t;
                    }
                    for (int h = 0; h < group; h++) {
                        float dot = 0f;
                        for (int c = 0; c < d; c++) {
                            dot += qs[qBase + h * d + c] * tile[c * g + lane];
                        }
                        probs[h * size + j] = dot * q.scale();
                    }
                }
                for (int h = 0; h < group; h++) {
                    softmax(probs, h * size, n);
                    if (mass != null) {
                        for (int j = 0; j < n; j++) {
                            mass[slots[j]] += probs[h * size + j];
                        }
                    }
                }
                decoded = -1;
                for (int j = 0; j < n; j++) {
                    int t = laneOfSlot[slots[j]] / g;
                    int lane = laneOfSlot[slots[j]] % g;
                    if (t != decoded) {
                        view.decodeValues(t, kvh, tile);
                        decoded = t;
                    }
                    for (int h = 0; h < group; h++) {
                        float p = probs[h * size + j];
                        int o = qBase + h * d;
                        for (int c = 0; c < d; c++) {
                            out[o + c] += p * tile[lane * d + c];
                        }
                    }
                }
            }
        }
    }

    private static void softmax(float[] x, int off, int n) {
        float max = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < n; j++) {
            max = Math.max(max, x[off + j]);
        }
        float sum = 0f;
        for (int j = 0; j < n; j++) {
            float e = (float) Math.exp(x[off + j] - max);
            x[off + j] = e;
            sum += e;
        }
        float inv = 1f / sum;
        for (int j = 0; j < n; j++) {
            x[off + j] *= inv;
        }
    }
}

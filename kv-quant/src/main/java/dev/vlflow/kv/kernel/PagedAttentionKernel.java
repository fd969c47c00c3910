package dev.vlflow.kv.kernel;

import dev.vlflow.kv.AttentionQuery;
import dev.vlflow.kv.CacheShape;
import dev.vlflow.kv.paged.LayerView;
import dev.vlflow.kv.paged.PageGeometry;
import dev.vlflow.kv.paged.TokenRows;
import java.util.Arrays;

/**
 * Fused attention over a paged, mixed-precision layer (Vector API). No float copy of the cache is made: each
 * tile (one key group of one head, G tokens) is decoded into an L1 scratch tile and consumed at once by every
 * query head that reads it. Scalar twin: {@link PagedAttentionScalar}.
 *
 * <p>Queries are processed in blocks of {@value #QUERY_BLOCK} (a decode step is one block; a prefill chunk or a
 * speculation tree shares every decoded tile among the block). Per block and KV head: pass 1 decodes the key
 * tiles and scores them for the GQA group of every query (vectorized over the tile's tokens); exact fp32 softmax
 * per query head; pass 2 decodes the value tiles and accumulates the weighted rows. Tiles no query of the block
 * can see are skipped without decoding. fp32 window tiles are read in place (values) or transposed (keys).
 */
public final class PagedAttentionKernel {

    static final int QUERY_BLOCK = 8;

    private PagedAttentionKernel() {
    }

    /** Whether this kernel handles the geometry; otherwise {@link #attend} runs the scalar twin. */
    public static boolean supports(PageGeometry geo) {
        return TileDecoder.supports(geo);
    }

    /** @param out [count, heads, headDim] overwritten */
    public static void attend(AttentionQuery q, LayerView view, float[] out) {
        PageGeometry geo = view.geometry();
        if (!supports(geo)) {
            PagedAttentionScalar.attend(q, view, out);
            return;
        }
        CacheShape shape = geo.shape();
        KernelChecks.check(q, shape);
        int group = q.heads() / shape.kvHeads();
        int size = view.size();
        int block = Math.min(QUERY_BLOCK, q.count());
        Visibility visibility = Visibility.of(q, view.slotPositions(), size);
        Work wk = new Work(q, view, block, group);
        for (int i0 = 0; i0 < q.count(); i0 += block) {
            int nq = Math.min(block, q.count() - i0);
            for (int a = 0; a < nq; a++) {
                wk.n[a] = visibility.slots(i0 + a, wk.slots[a]);
                for (int j = 0; j < wk.n[a]; j++) {
                    wk.lanes[a][j] = wk.laneOfSlot[wk.slots[a][j]];
                }
            }
            for (int kvh = 0; kvh < shape.kvHeads(); kvh++) {
                scorePass(wk, i0, nq, kvh);
                normalize(wk, i0, nq, kvh, out);
                valuePass(wk, i0, nq, kvh, out);
            }
        }
    }

    /**
     * Per-call buffers and sizes. The passes are separate methods so that the JIT compiles each with its own
     * inlining budget: one method holding all of them can exceed it and leave Vector API calls un-intrinsified.
     */
    private static final class Work {
        final AttentionQuery q;
        final LayerView view;
        final int heads;
        final int d;
        final int w;
        final int g;
        final int group;
        final int stride;
        final int[] laneOfSlot;
        final int[][] slots;
        final int[][] lanes;
        final int[] n;
        final int[] cursor;
        final boolean[] started;
        final int[] rowOff;
        final float[] probs;      // [query][group][visible]
        final float[] tile;
        final TileDecoder.Scratch scratch;
        final float[] tileScores; // [group][G]

        Work(AttentionQuery q, LayerView view, int block, int group) {
            PageGeometry geo = view.geometry();
            int size = view.size();
            this.q = q;
            this.view = view;
            this.heads = q.heads();
            this.d = geo.shape().headDim();
            this.w = geo.shape().tokenWidth();
            this.g = geo.groupSize();
            this.group = group;
            this.stride = Math.max(size, 1);
            this.laneOfSlot = view.laneOfSlot();
            this.slots = new int[block][size];
            this.lanes = new int[block][size];
            this.n = new int[block];
            this.cursor = new int[block];
            this.started = new boolean[block];
            this.rowOff = new int[size];
            this.probs = new float[block * group * stride];
            this.tile = new float[geo.tileElements()];
            this.scratch = new TileDecoder.Scratch(geo);
            this.tileScores = new float[group * g];
        }
    }

    /** Pass 1: decodes the key tiles of head kvh and scores them for the GQA group of every query of the block. */
    private static void scorePass(Work wk, int i0, int nq, int kvh) {
        LayerView view = wk.view;
        int g = wk.g;
        int group = wk.group;
        int stride = wk.stride;
        int[] n = wk.n;
        int[] cursor = wk.cursor;
        int[][] lanes = wk.lanes;
        float[] probs = wk.probs;
        float[] tile = wk.tile;
        float[] qs = wk.q.queries();
        float scale = wk.q.scale();
        Arrays.fill(cursor, 0);
        for (int t = 0; t < view.tiles(); t++) {
            int end = (t + 1) * g;
            if (!anyVisible(nq, n, lanes, cursor, end)) {
                continue;
            }
            TileDecoder.keys(view, t, kvh, tile, wk.scratch);
            for (int a = 0; a < nq; a++) {
                int c0 = cursor[a];
                int c1 = c0;
                while (c1 < n[a] && lanes[a][c1] < end) {
                    c1++;
                }
                if (c1 == c0) {
                    continue;
                }
                int qBase = ((i0 + a) * wk.heads + kvh * group) * wk.d;
                int pBase = a * group * stride;
                if (c1 - c0 == g) {
                    TileMath.scoreTile(qs, qBase, group, wk.d, tile, 0, g, scale, probs, pBase + c0, stride);
                } else {
                    float[] tileScores = wk.tileScores;
                    TileMath.scoreTile(qs, qBase, group, wk.d, tile, 0, g, scale, tileScores, 0, g);
                    for (int j = c0; j < c1; j++) {
                        int lane = lanes[a][j] - t * g;
                        for (int h = 0; h < group; h++) {
                            probs[pBase + h * stride + j] = tileScores[h * g + lane];
                        }
                    }
                }
                cursor[a] = c1;
            }
        }
    }

    /** Softmax per query head and the key mass; zero output for a query that sees nothing. */
    private static void normalize(Work wk, int i0, int nq, int kvh, float[] out) {
        float[] mass = wk.q.keyMass().orElse(null);
        int group = wk.group;
        for (int a = 0; a < nq; a++) {
            int qBase = ((i0 + a) * wk.heads + kvh * group) * wk.d;
            wk.started[a] = false;
            int n = wk.n[a];
            if (n == 0) {
                Arrays.fill(out, qBase, qBase + group * wk.d, 0f);
                continue;
            }
            for (int h = 0; h < group; h++) {
                int row = a * group * wk.stride + h * wk.stride;
                Softmax.normalize(wk.probs, row, n);
                if (mass != null) {
                    int[] slots = wk.slots[a];
                    for (int j = 0; j < n; j++) {
                        mass[slots[j]] += wk.probs[row + j];
                    }
                }
            }
        }
    }

    /** Pass 2: decodes the value tiles of head kvh and accumulates the weighted rows. */
    private static void valuePass(Work wk, int i0, int nq, int kvh, float[] out) {
        LayerView view = wk.view;
        int g = wk.g;
        int d = wk.d;
        int group = wk.group;
        int[] n = wk.n;
        int[] cursor = wk.cursor;
        int[][] lanes = wk.lanes;
        int[] rowOff = wk.rowOff;
        Arrays.fill(cursor, 0);
        for (int t = 0; t < view.tiles(); t++) {
            int end = (t + 1) * g;
            if (!anyVisible(nq, n, lanes, cursor, end)) {
                continue;
            }
            TokenRows rows = view.rows(t);
            float[] src;
            if (rows == null) {
                TileDecoder.values(view, t, kvh, wk.tile, wk.scratch);
                src = wk.tile;
            } else {
                src = rows.values();
            }
            for (int a = 0; a < nq; a++) {
                int c0 = cursor[a];
                int c1 = c0;
                while (c1 < n[a] && lanes[a][c1] < end) {
                    int lane = lanes[a][c1] - t * g;
                    rowOff[c1] = rows == null ? lane * d : (view.start(t) + lane) * wk.w + kvh * d;
                    c1++;
                }
                if (c1 == c0) {
                    continue;
                }
                int qBase = ((i0 + a) * wk.heads + kvh * group) * d;
                ValueSums.weightedSum(wk.probs, a * group * wk.stride, wk.stride, group, src, rowOff, c0, c1, d, out,
                        qBase, wk.started[a]);
                wk.started[a] = true;
                cursor[a] = c1;
            }
        }
    }

    private static boolean anyVisible(int nq, int[] n, int[][] lanes, int[] cursor, int end) {
        for (int a = 0; a < nq; a++) {
            if (cursor[a] < n[a] && lanes[a][cursor[a]] < end) {
                return true;
            }
        }
        return false;
    }
}

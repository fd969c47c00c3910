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
        int heads = q.heads();
        int d = shape.headDim();
        int w = shape.tokenWidth();
        int g = geo.groupSize();
        int group = heads / shape.kvHeads();
        int size = view.size();
        int stride = Math.max(size, 1);
        int block = Math.min(QUERY_BLOCK, q.count());
        Visibility visibility = Visibility.of(q, view.slotPositions(), size);
        int[] laneOfSlot = view.laneOfSlot();
        int[][] slots = new int[block][size];
        int[][] lanes = new int[block][size];
        int[] n = new int[block];
        int[] cursor = new int[block];
        boolean[] started = new boolean[block];
        int[] rowOff = new int[size];
        float[] probs = new float[block * group * stride]; // [query][group][visible]
        float[] tile = new float[geo.tileElements()];
        TileDecoder.Scratch scratch = new TileDecoder.Scratch(geo);
        float[] tileScores = new float[group * g];          // [group][G]
        float[] mass = q.keyMass().orElse(null);
        float[] qs = q.queries();
        for (int i0 = 0; i0 < q.count(); i0 += block) {
            int nq = Math.min(block, q.count() - i0);
            for (int a = 0; a < nq; a++) {
                n[a] = visibility.slots(i0 + a, slots[a]);
                for (int j = 0; j < n[a]; j++) {
                    lanes[a][j] = laneOfSlot[slots[a][j]];
                }
            }
            for (int kvh = 0; kvh < shape.kvHeads(); kvh++) {
                // pass 1: scores
                Arrays.fill(cursor, 0);
                for (int t = 0; t < view.tiles(); t++) {
                    int end = (t + 1) * g;
                    if (!anyVisible(nq, n, lanes, cursor, end)) {
                        continue;
                    }
                    TileDecoder.keys(view, t, kvh, tile, scratch);
                    for (int a = 0; a < nq; a++) {
                        int c0 = cursor[a];
                        int c1 = c0;
                        while (c1 < n[a] && lanes[a][c1] < end) {
                            c1++;
                        }
                        if (c1 == c0) {
                            continue;
                        }
                        int qBase = ((i0 + a) * heads + kvh * group) * d;
                        int pBase = a * group * stride;
                        if (c1 - c0 == g) {
                            TileMath.scoreTile(qs, qBase, group, d, tile, 0, g, q.scale(), probs, pBase + c0, stride);
                        } else {
                            TileMath.scoreTile(qs, qBase, group, d, tile, 0, g, q.scale(), tileScores, 0, g);
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
                // softmax and key mass
                for (int a = 0; a < nq; a++) {
                    int qBase = ((i0 + a) * heads + kvh * group) * d;
                    started[a] = false;
                    if (n[a] == 0) {
                        Arrays.fill(out, qBase, qBase + group * d, 0f);
                        continue;
                    }
                    for (int h = 0; h < group; h++) {
                        int row = a * group * stride + h * stride;
                        Softmax.normalize(probs, row, n[a]);
                        if (mass != null) {
                            for (int j = 0; j < n[a]; j++) {
                                mass[slots[a][j]] += probs[row + j];
                            }
                        }
                    }
                }
                // pass 2: weighted values
                Arrays.fill(cursor, 0);
                for (int t = 0; t < view.tiles(); t++) {
                    int end = (t + 1) * g;
                    if (!anyVisible(nq, n, lanes, cursor, end)) {
                        continue;
                    }
                    TokenRows rows = view.rows(t);
                    float[] src;
                    if (rows == null) {
                        TileDecoder.values(view, t, kvh, tile, scratch);
                        src = tile;
                    } else {
                        src = rows.values();
                    }
                    for (int a = 0; a < nq; a++) {
                        int c0 = cursor[a];
                        int c1 = c0;
                        while (c1 < n[a] && lanes[a][c1] < end) {
                            int lane = lanes[a][c1] - t * g;
                            rowOff[c1] = rows == null ? lane * d : (view.start(t) + lane) * w + kvh * d;
                            c1++;
                        }
                        if (c1 == c0) {
                            continue;
                        }
                        int qBase = ((i0 + a) * heads + kvh * group) * d;
                        TileMath.weightedSum(probs, a * group * stride, stride, group, src, rowOff, c0, c1, d, out,
                                qBase, started[a]);
                        started[a] = true;
                        cursor[a] = c1;
                    }
                }
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

package dev.vlflow.engine.decode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vlflow.kv.AttentionMask;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Bookkeeping of drafts, the n-gram index, statistics and Unified Layer Skipping's kept layers, without a model. */
class DraftingPiecesTest {

    private static List<Integer> range(int from, int to, int step) {
        return IntStream.iterate(from, i -> i <= to, i -> i + step).boxed().toList();
    }

    private static List<Integer> kept(int layers, int speedup) {
        return new LayerSkipping.Unified(speedup).keptLayers(layers);
    }

    private static List<Integer> with(List<Integer> middle, int last) {
        List<Integer> out = new java.util.ArrayList<>(middle);
        out.add(last);
        return out;
    }

    @Test
    void keptLayersMatchTheTableOfAlgorithmsSection22() {
        assertEquals(with(range(0, 24, 2), 27), kept(28, 2));
        assertEquals(with(range(0, 21, 3), 27), kept(28, 3));
        assertEquals(with(range(0, 20, 4), 27), kept(28, 4));
        assertEquals(List.of(0, 7, 14, 21, 27), kept(28, 5));
        assertEquals(List.of(0, 27), kept(28, 10));
        assertEquals(with(range(0, 26, 2), 29), kept(30, 2));
        assertEquals(with(range(0, 24, 3), 29), kept(30, 3));
        assertEquals(with(range(0, 25, 5), 29), kept(30, 4));
        assertEquals(List.of(0, 6, 12, 18, 24, 29), kept(30, 5));
        assertEquals(List.of(0, 15, 29), kept(30, 10));
        assertEquals(with(range(0, 28, 2), 31), kept(32, 2));
        assertEquals(with(range(0, 24, 3), 31), kept(32, 3));
        assertEquals(with(range(0, 24, 4), 31), kept(32, 4));
        assertEquals(List.of(0, 6, 12, 18, 24, 31), kept(32, 5));
        assertEquals(List.of(0, 16, 31), kept(32, 10));
        assertEquals(with(range(0, 36, 2), 39), kept(40, 2));
        assertEquals(with(range(0, 33, 3), 39), kept(40, 3));
        assertEquals(with(range(0, 32, 4), 39), kept(40, 4));
        assertEquals(with(range(0, 30, 5), 39), kept(40, 5));
        assertEquals(List.of(0, 13, 26, 39), kept(40, 10));
        assertEquals(range(0, 27, 1), kept(28, 1), "speedup 1 keeps every layer");
        assertThrows(IllegalArgumentException.class, () -> kept(4, 3));
    }

    @Test
    void ngramIndexFindsTheLatestEarlierContinuationOfTheLongestSuffix() {
        NgramIndex index = new NgramIndex(3);
        index.addAll(new int[] {1, 2, 3, 4, 5, 9, 2, 3, 7, 8});
        assertArrayEquals(new int[0], index.lookup(4), "suffix 8 never occurred before");
        index.addAll(new int[] {1, 2, 3});
        assertArrayEquals(new int[] {4, 5, 9}, index.lookup(3), "the 3-gram 1,2,3 wins over the later 2,3");
        index.add(6);
        index.add(2);
        index.add(3);
        assertArrayEquals(new int[] {6, 2}, index.lookup(2), "no earlier 6,2,3: the latest earlier 2,3 was followed by 6");
        NgramIndex longer = new NgramIndex(3);
        longer.addAll(new int[] {9, 2, 3, 7, 1, 2, 3, 4, 5, 6, 9, 2, 3});
        assertArrayEquals(new int[] {7, 1}, longer.lookup(2), "the 3-gram 9,2,3 wins over the later 2,3");
        assertArrayEquals(new int[0], longer.lookup(0));
        NgramIndex single = new NgramIndex(1);
        single.addAll(new int[] {5, 5});
        assertArrayEquals(new int[] {5}, single.lookup(8), "a continuation may reach the end of the stream");
    }

    @Test
    void treeDraftsHaveDepthPositionsAndAncestorMasks() {
        Draft tree = new Draft(new int[] {10, 11, 12, 13}, new int[] {0, 1, 2, 1});
        assertArrayEquals(new int[] {100, 101, 102, 103, 102}, tree.positions(100));
        AttentionMask.Tree mask = assertInstanceOf(AttentionMask.Tree.class, tree.mask());
        boolean[] node4 = mask.ancestors()[4]; // token 13: child of block 1
        assertArrayEquals(new boolean[] {true, true, false, false, true}, node4);
        assertArrayEquals(new int[] {2, 4}, tree.children(1));
        assertInstanceOf(AttentionMask.Causal.class, Draft.chain(new int[] {1, 2}).mask());
        assertThrows(IllegalArgumentException.class, () -> new Draft(new int[] {1, 1}, new int[] {0, 0}),
                "equal siblings");
        assertThrows(IllegalArgumentException.class, () -> new Draft(new int[] {1}, new int[] {1}),
                "a parent must come first");
    }

    @Test
    void aDraftHeadFitRecoversALinearMap() {
        int h = 6;
        java.util.Random random = new java.util.Random(4);
        float[] w = new float[2 * h * h];
        float[] b = new float[h];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) random.nextGaussian();
        }
        for (int i = 0; i < h; i++) {
            b[i] = (float) random.nextGaussian();
        }
        DraftHead truth = new DraftHead(h, w, b);
        DraftHeadFit fit = new DraftHeadFit(h);
        for (int n = 0; n < 200; n++) {
            float[] f = new float[h];
            float[] e = new float[h];
            for (int i = 0; i < h; i++) {
                f[i] = (float) random.nextGaussian();
                e[i] = (float) random.nextGaussian();
            }
            fit.add(f, e, truth.next(f, e));
        }
        DraftHead fitted = fit.solve(1e-9);
        assertEquals(200, fit.samples());
        for (int i = 0; i < w.length; i++) {
            assertEquals(w[i], fitted.weight()[i], 1e-3, "weight " + i);
        }
        for (int i = 0; i < h; i++) {
            assertEquals(b[i], fitted.bias()[i], 1e-3, "bias " + i);
        }
    }

    @Test
    void statisticsCountStepsAndAcceptedLength() {
        DecodeStats s = DecodeStats.none()
                .plus(new Acceptance(4, new int[] {1, 2}, new int[] {7, 8}, 9))
                .plus(new Acceptance(0, new int[0], new int[0], 3));
        assertEquals(new DecodeStats(4, 2, 2), s);
        assertEquals(0.5, s.acceptance());
        assertEquals(2.0, s.meanAcceptedLength(), "4 tokens in 2 steps");
        assertTrue(new Decoding(new DrafterSpec.None(), new LayerSkipping.Unified(2)).lossy());
        assertThrows(IllegalArgumentException.class, () -> new Decoding(DrafterSpec.PromptLookup.of(4),
                new LayerSkipping.Unified(2)));
        assertEquals(SkipSource.Configured.parse("attn=1,3/mlp=2").attention(), java.util.BitSet.valueOf(new long[] {10}));
    }
}

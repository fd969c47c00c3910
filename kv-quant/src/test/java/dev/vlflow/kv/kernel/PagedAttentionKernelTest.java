package dev.vlflow.kv.kernel;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vlflow.kv.AttentionMask;
import dev.vlflow.kv.AttentionQuery;
import dev.vlflow.kv.CacheShape;
import dev.vlflow.kv.FloatAttention;
import dev.vlflow.kv.Fixtures;
import dev.vlflow.kv.KvCacheConfig;
import dev.vlflow.kv.PagedFixtures;
import dev.vlflow.kv.PagedKvCache;
import dev.vlflow.kv.PrecisionPolicy;
import dev.vlflow.kv.paged.LayerView;
import dev.vlflow.kv.paged.PageGeometry;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The fused kernels (vector and scalar twin) against dequantize-then-attend ({@link FloatAttention} over
 * {@link PagedKvCache#dequantize}). Both decode to exactly the floats the reference reads, so they differ only in
 * summation order and exp: tolerance 2e-5 absolute on outputs and key mass (values ~ N(0, 1)).
 */
class PagedAttentionKernelTest {

    private static final float TOL = 2e-5f;
    private static final CacheShape SHAPE = new CacheShape(1, 2, 32);
    private static final KvCacheConfig CONFIG = new KvCacheConfig(new PrecisionPolicy.MixedByImportance(4, 2), 64,
            16, 24);

    private static void check(PagedKvCache cache, AttentionQuery q) {
        PagedKvCache.DequantizedLayer deq = cache.dequantize(0);
        int size = cache.size(0);
        CacheShape shape = cache.shape();
        int outLen = q.count() * q.heads() * shape.headDim();
        AttentionQuery qr = Fixtures.freshMass(q, size);
        AttentionQuery qv = Fixtures.freshMass(q, size);
        AttentionQuery qs = Fixtures.freshMass(q, size);
        float[] ref = new float[outLen];
        float[] vec = new float[outLen];
        float[] sca = new float[outLen];
        FloatAttention.attend(qr, deq.keys(), deq.values(), deq.positions(), size, shape, ref);
        LayerView view = cache.view(0);
        PagedAttentionKernel.attend(qv, view, vec);
        PagedAttentionScalar.attend(qs, view, sca);
        assertTrue(Fixtures.maxAbsDiff(ref, vec) <= TOL, "vector vs reference " + Fixtures.maxAbsDiff(ref, vec));
        assertTrue(Fixtures.maxAbsDiff(ref, sca) <= TOL, "scalar vs reference " + Fixtures.maxAbsDiff(ref, sca));
        float[] mr = qr.keyMass().orElseThrow();
        assertTrue(Fixtures.maxAbsDiff(mr, qv.keyMass().orElseThrow()) <= TOL, "vector key mass");
        assertTrue(Fixtures.maxAbsDiff(mr, qs.keyMass().orElseThrow()) <= TOL, "scalar key mass");
    }

    @Test
    void vectorKernelHandlesTheTestGeometry() {
        assertTrue(PagedAttentionKernel.supports(new PageGeometry(SHAPE, 64, 16)) || TileMath.L > 16,
                "the comparisons below must exercise the vector path");
    }

    @Test
    void decodeStepWithGqaMatchesDequantizedReference() {
        int n = 403;
        PagedKvCache cache = PagedFixtures.mixed(SHAPE, CONFIG, Fixtures.range(0, n), 1);
        java.util.Set<Integer> stored = new java.util.TreeSet<>();
        for (int b : cache.storedBits(0)) {
            stored.add(b);
        }
        assertTrue(stored.containsAll(java.util.List.of(32, 4, 2)), "fixture stores " + stored);
        assertTrue(cache.layout(0).window() > 0 && cache.layout(0).pages().size() > 3);
        AttentionQuery q = Fixtures.query(new Random(2), 1, 14, 32, new int[] {n}, new AttentionMask.Causal(), 0);
        check(cache, q);
    }

    @Test
    void qwenGeometryMatchesAtEveryPrecision() {
        // head dim 64, groups of 32 and a GQA group of 7: the register-blocked paths of the decode benchmark
        CacheShape qwen = new CacheShape(1, 2, 64);
        for (int bits : new int[] {16, 8, 4, 2}) {
            KvCacheConfig config = new KvCacheConfig(new PrecisionPolicy.Uniform(bits), 64, 32, 24);
            PagedKvCache cache = PagedFixtures.mixed(qwen, config, Fixtures.range(0, 200), 40 + bits);
            assertTrue(cache.layout(0).pages().size() >= 2);
            AttentionQuery q = Fixtures.query(new Random(50 + bits), 2, 14, 64, new int[] {150, 200},
                    new AttentionMask.Causal(), 0);
            check(cache, q);
        }
    }

    @Test
    void everyUniformPrecisionMatches() {
        for (int bits : new int[] {16, 8, 4, 2}) {
            KvCacheConfig config = new KvCacheConfig(new PrecisionPolicy.Uniform(bits), 64, 16, 24);
            PagedKvCache cache = PagedFixtures.mixed(SHAPE, config, Fixtures.range(0, 150), 20 + bits);
            assertTrue(cache.layout(0).pages().stream().allMatch(p -> p.bits() == bits));
            AttentionQuery q = Fixtures.query(new Random(bits), 2, 4, 32, new int[] {149, 150},
                    new AttentionMask.Causal(), 0);
            check(cache, q);
        }
    }

    @Test
    void prefillChunkLargerThanAQueryBlockMatches() {
        int n = 250;
        PagedKvCache cache = PagedFixtures.mixed(SHAPE, CONFIG, Fixtures.range(0, n), 3);
        AttentionQuery q = Fixtures.query(new Random(4), 19, 4, 32, Fixtures.range(230, 19),
                new AttentionMask.Causal(), 0);
        check(cache, q);
    }

    @Test
    void regroupedSlotsUseStoredPositionsForCausality() {
        int n = 300;
        PagedKvCache cache = PagedFixtures.mixed(SHAPE, CONFIG, Fixtures.shuffledPositions(new Random(5), n), 6);
        AttentionQuery q = Fixtures.query(new Random(7), 5, 6, 32, new int[] {0, 17, 150, 151, 299},
                new AttentionMask.Causal(), 0);
        check(cache, q);
    }

    @Test
    void treeMaskOverTheNewestSlotsMatches() {
        int n = 180;
        PagedKvCache cache = PagedFixtures.mixed(SHAPE, CONFIG, Fixtures.range(0, n), 8);
        Random rnd = new Random(9);
        AttentionQuery q = Fixtures.query(rnd, 7, 2, 32, Fixtures.range(n - 7, 7), Fixtures.tree(rnd, 7), 0);
        check(cache, q);
    }

    @Test
    void subsetMaskMatches() {
        int n = 260;
        PagedKvCache cache = PagedFixtures.mixed(SHAPE, CONFIG, Fixtures.range(0, n), 10);
        int[] subset = new int[60];
        for (int i = 0; i < subset.length; i++) {
            subset[i] = i * 4 + (i % 3);
        }
        AttentionQuery q = Fixtures.query(new Random(11), 3, 4, 32, new int[] {5, 100, 259},
                new AttentionMask.Subset(subset), 0);
        check(cache, q);
    }

    @Test
    void geometryTheVectorKernelDoesNotCoverFallsBackToTheTwin() {
        CacheShape odd = new CacheShape(1, 1, 12);
        KvCacheConfig config = new KvCacheConfig(new PrecisionPolicy.MixedByImportance(8, 2), 12, 4, 5);
        PagedKvCache cache = PagedFixtures.mixed(odd, config, Fixtures.range(0, 90), 12);
        AttentionQuery q = Fixtures.query(new Random(13), 2, 3, 12, new int[] {40, 89}, new AttentionMask.Causal(),
                90);
        PagedKvCache.DequantizedLayer deq = cache.dequantize(0);
        float[] ref = new float[2 * 3 * 12];
        float[] out = new float[ref.length];
        FloatAttention.attend(Fixtures.freshMass(q, 90), deq.keys(), deq.values(), deq.positions(), 90, odd, ref);
        PagedAttentionKernel.attend(q, cache.view(0), out);
        assertTrue(Fixtures.maxAbsDiff(ref, out) <= TOL);
    }
}

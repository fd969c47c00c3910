package dev.vlflow.kv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vlflow.kv.paged.Fp16;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The paged cache against the float cache and against itself: 16-bit equals float, regrouping changes nothing,
 * and the versioned byte format round-trips. Attention tolerance 2e-5 absolute (values ~ N(0, 1); only summation
 * order differs).
 */
class PagedKvCacheTest {

    private static final CacheShape SHAPE = new CacheShape(2, 2, 32);
    private static final float TOL = 2e-5f;

    /** Floats that fp16 holds exactly, so a 16-bit cache stores them without loss. */
    private static float[] halfExact(Random rnd, int n) {
        float[] x = Fixtures.normal(rnd, n, 1f);
        for (int i = 0; i < n; i++) {
            x[i] = Fp16.toFloat(Fp16.fromFloat(x[i]));
        }
        return x;
    }

    private static float[] attend(KvCache cache, int layer, AttentionQuery q) {
        float[] out = new float[q.count() * q.heads() * SHAPE.headDim()];
        cache.attend(layer, q, out);
        return out;
    }

    @Test
    void sixteenBitCacheEqualsFloatCache() {
        Random rnd = new Random(1);
        int n = 333;
        KvCacheConfig config = new KvCacheConfig(new PrecisionPolicy.Uniform(16), 64, 16, 24);
        PagedKvCache paged = new PagedKvCache(SHAPE, config);
        FloatKvCache plain = new FloatKvCache(SHAPE);
        float[] k = halfExact(rnd, n * SHAPE.tokenWidth());
        float[] v = halfExact(rnd, n * SHAPE.tokenWidth());
        for (int start = 0; start < n; start += 37) {
            int c = Math.min(37, n - start);
            float[] kc = Arrays.copyOfRange(k, start * 64, (start + c) * 64);
            float[] vc = Arrays.copyOfRange(v, start * 64, (start + c) * 64);
            paged.append(1, kc, vc, Fixtures.range(start, c), c);
            plain.append(1, kc, vc, Fixtures.range(start, c), c);
        }
        PagedKvCache.DequantizedLayer deq = paged.dequantize(1);
        assertArrayEquals(k, deq.keys());
        assertArrayEquals(v, deq.values());
        assertTrue(paged.layout(1).pages().stream().allMatch(p -> p.bits() == 16));
        AttentionQuery q = Fixtures.query(rnd, 4, 6, 32, new int[] {50, 200, 331, 332}, new AttentionMask.Causal(),
                0);
        assertTrue(Fixtures.maxAbsDiff(attend(plain, 1, q), attend(paged, 1, q)) <= TOL);
    }

    @Test
    void regroupedCacheGivesTheSameAttention() {
        // the same lossless tokens appended in two different slot orders, one regrouped by importance
        Random rnd = new Random(2);
        int n = 200;
        KvCacheConfig config = new KvCacheConfig(new PrecisionPolicy.Uniform(16), 32, 16, 16);
        float[] k = halfExact(rnd, n * 64);
        float[] v = halfExact(rnd, n * 64);
        PagedKvCache inOrder = new PagedKvCache(SHAPE, config);
        inOrder.append(0, k, v, Fixtures.range(0, n), n);
        PagedKvCache permuted = new PagedKvCache(SHAPE, config);
        int[] perm = Fixtures.shuffledPositions(rnd, n);
        float[] kp = new float[k.length];
        float[] vp = new float[v.length];
        for (int i = 0; i < n; i++) {
            System.arraycopy(k, perm[i] * 64, kp, i * 64, 64);
            System.arraycopy(v, perm[i] * 64, vp, i * 64, 64);
        }
        permuted.append(0, kp, vp, perm, n);
        boolean[] important = new boolean[n];
        for (int s = 0; s < n; s++) {
            important[s] = rnd.nextFloat() < 0.3f;
        }
        permuted.setImportance(0, important);
        float[] none = new float[0];
        permuted.append(0, none, none, new int[0], 0); // moves all but the window into pages
        inOrder.append(0, none, none, new int[0], 0);
        assertTrue(permuted.layout(0).pages().size() > 1);
        int[] pos = {3, 77, 150, 199, 250};
        AttentionQuery q = Fixtures.query(rnd, pos.length, 4, 32, pos, new AttentionMask.Causal(), 0);
        assertTrue(Fixtures.maxAbsDiff(attend(inOrder, 0, q), attend(permuted, 0, q)) <= TOL);
    }

    @Test
    void mixedCacheAttendsLikeItsDequantizedContentsInPositionOrder() {
        int n = 300;
        KvCacheConfig config = new KvCacheConfig(new PrecisionPolicy.MixedByImportance(4, 2), 64, 16, 24);
        PagedKvCache cache = PagedFixtures.mixed(SHAPE, config, Fixtures.range(0, n), 3);
        PagedKvCache.DequantizedLayer deq = cache.dequantize(0);
        // undo the regrouping: sort the dequantized tokens by original position
        int[] bySlot = deq.positions();
        float[] keys = new float[n * 64];
        float[] values = new float[n * 64];
        for (int s = 0; s < n; s++) {
            System.arraycopy(deq.keys(), s * 64, keys, bySlot[s] * 64, 64);
            System.arraycopy(deq.values(), s * 64, values, bySlot[s] * 64, 64);
        }
        assertTrue(!Arrays.equals(bySlot, Fixtures.range(0, n)), "the fixture must regroup tokens");
        AttentionQuery q = Fixtures.query(new Random(4), 3, 8, 32, new int[] {20, 199, 299},
                new AttentionMask.Causal(), 0);
        float[] ref = new float[3 * 8 * 32];
        FloatAttention.attend(q, keys, values, Fixtures.range(0, n), n, SHAPE, ref);
        assertTrue(Fixtures.maxAbsDiff(ref, attend(cache, 0, q)) <= TOL);
    }

    @Test
    void bytesRoundTripThroughTheVersionedFormat() {
        KvCacheConfig config = new KvCacheConfig(new PrecisionPolicy.MixedByImportance(8, 2), 64, 16, 24);
        PagedKvCache cache = PagedFixtures.mixed(SHAPE, config, Fixtures.shuffledPositions(new Random(5), 260), 6);
        cache.evict(1, new int[] {3, 100, 101});
        byte[] bytes = cache.toBytes();
        PagedKvCache back = PagedKvCache.fromBytes(bytes);
        assertEquals(cache.config(), back.config());
        assertEquals(cache.shape(), back.shape());
        assertEquals(cache.bytes(), back.bytes());
        assertArrayEquals(bytes, back.toBytes());
        for (int layer = 0; layer < 2; layer++) {
            assertArrayEquals(cache.positions(layer), back.positions(layer));
            assertArrayEquals(cache.storedBits(layer), back.storedBits(layer));
            AttentionQuery q = Fixtures.query(new Random(7), 2, 4, 32, new int[] {100, 300},
                    new AttentionMask.Causal(), 0);
            assertArrayEquals(attend(cache, layer, q), attend(back, layer, q));
        }
        // the restored cache keeps working: appends continue to fill its open pages
        float[] k = Fixtures.normal(new Random(8), 40 * 64, 1f);
        back.append(0, k, k, Fixtures.range(1000, 40), 40);
        back.append(0, k, k, Fixtures.range(2000, 1), 1);
        assertEquals(cache.size(0) + 41, back.size(0));
    }

    @Test
    void wrongVersionOrMagicIsRejectedClearly() {
        KvCacheConfig config = KvCacheConfig.of(new PrecisionPolicy.Uniform(4));
        byte[] bytes = new PagedKvCache(SHAPE, config).toBytes();
        bytes[5] = 9; // version u16 at offset 4
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> PagedKvCache.fromBytes(bytes));
        assertInstanceOf(IOException.class, e.getCause());
        assertEquals("unsupported KV cache format version 9 (this build reads version 1)", e.getCause().getMessage());
        bytes[0] = 'X';
        e = assertThrows(UncheckedIOException.class, () -> PagedKvCache.fromBytes(bytes));
        assertTrue(e.getCause().getMessage().startsWith("not a vlflow KV cache"));
    }

    @Test
    void factoryAndPolicyParsing() {
        assertInstanceOf(FloatKvCache.class, KvCaches.create(KvCacheConfig.of(new PrecisionPolicy.FullPrecision()),
                SHAPE));
        assertInstanceOf(PagedKvCache.class, KvCaches.create(KvCacheConfig.of(PrecisionPolicy.parse("4")), SHAPE));
        assertEquals(new PrecisionPolicy.MixedByImportance(4, 2), PrecisionPolicy.parse("mixed"));
        assertEquals(new PrecisionPolicy.MixedByImportance(8, 4), PrecisionPolicy.parse("mixed:8/4"));
        assertEquals(new PrecisionPolicy.FullPrecision(), PrecisionPolicy.parse("fp32"));
        for (String s : new String[] {"fp32", "16", "8", "4", "2", "mixed:4/2"}) {
            assertEquals(s, PrecisionPolicy.parse(s).label());
        }
        assertThrows(IllegalArgumentException.class, () -> PrecisionPolicy.parse("3"));
        assertThrows(IllegalArgumentException.class, () -> PrecisionPolicy.parse("mixed:2/4"));
        assertThrows(IllegalArgumentException.class, () -> new KvCacheConfig(new PrecisionPolicy.Uniform(2), 48, 32,
                128));
    }
}

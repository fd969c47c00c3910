package dev.vlflow.kv;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The float cache's gathered sparse attention (a Subset mask becomes a causal call over the gathered slots)
 * against the scalar reference walking the mask over the whole cache. Tolerance 2e-5 absolute on outputs and key
 * mass, as for the float kernel (values N(0,1)).
 */
class FloatKvCacheSubsetTest {

    private static final float TOL = 2e-5f;

    @Test
    void gatheredSubsetAttentionMatchesTheMaskedReference() {
        Random rnd = new Random(11);
        CacheShape shape = new CacheShape(1, 2, 24);
        int size = 150;
        float[] keys = Fixtures.normal(rnd, size * shape.tokenWidth(), 1f);
        float[] values = Fixtures.normal(rnd, size * shape.tokenWidth(), 1f);
        int[] positions = Fixtures.shuffledPositions(rnd, size);
        FloatKvCache cache = new FloatKvCache(shape);
        cache.append(0, keys, values, positions, size);
        int[] subset = {1, 2, 7, 30, 31, 32, 33, 64, 90, 100, 120, 149};
        AttentionQuery q = Fixtures.query(rnd, 4, 6, 24, new int[] {7, 33, 120, 149},
                new AttentionMask.Subset(subset), 0);
        AttentionQuery qa = Fixtures.freshMass(q, size);
        AttentionQuery qb = Fixtures.freshMass(q, size);
        float[] expected = new float[4 * 6 * 24];
        float[] actual = new float[expected.length];
        FloatAttention.attend(qa, keys, values, positions, size, shape, expected);
        cache.attend(0, qb, actual);
        assertTrue(Fixtures.maxAbsDiff(expected, actual) <= TOL, "output diff "
                + Fixtures.maxAbsDiff(expected, actual));
        float[] ma = qa.keyMass().orElseThrow();
        float[] mb = qb.keyMass().orElseThrow();
        assertTrue(Fixtures.maxAbsDiff(ma, mb) <= TOL, "mass diff " + Fixtures.maxAbsDiff(ma, mb));
    }
}

package dev.vlflow.engine.decode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vlflow.engine.Sampling;
import dev.vlflow.engine.runtime.ForwardResult;
import dev.vlflow.engine.runtime.Sampler;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The verification rules on a toy model of five tokens whose logits are fixed: greedy acceptance is exactly
 * "candidate == argmax", and the rejection rule emits tokens distributed as the target (chi-square, 4 degrees of
 * freedom, critical value 18.47 at p = 0.001; the seed is fixed, so the test is deterministic).
 */
class AcceptRuleTest {

    private static final double[] TARGET = {0.4, 0.25, 0.2, 0.1, 0.05};
    private static final int TRIALS = 20000;
    private static final double CHI2_CRITICAL_4DOF = 18.47;

    private static float[] logits() {
        float[] l = new float[TARGET.length];
        for (int i = 0; i < l.length; i++) {
            l[i] = (float) Math.log(TARGET[i]);
        }
        return l;
    }

    /** A verification result whose every row holds the toy logits. */
    private static ForwardResult rows(int n) {
        float[] all = new float[n * TARGET.length];
        for (int r = 0; r < n; r++) {
            System.arraycopy(logits(), 0, all, r * TARGET.length, TARGET.length);
        }
        return new ForwardResult(all, n, new float[n], n);
    }

    /** Frequencies of the first token emitted after the root when verifying {@code draft} again and again. */
    private static double chiSquare(Draft draft) {
        Sampler sampler = new Sampler(new Sampling.TopP(1.0, 1.0, 42));
        AcceptRule rule = AcceptRule.of(sampler);
        long[] counts = new long[TARGET.length];
        for (int t = 0; t < TRIALS; t++) {
            Acceptance a = Speculator.accept(draft, rows(draft.blockSize()), rule, l -> { });
            counts[a.emitted()[0]]++;
        }
        double chi2 = 0;
        for (int i = 0; i < TARGET.length; i++) {
            double expected = TARGET[i] * TRIALS;
            chi2 += (counts[i] - expected) * (counts[i] - expected) / expected;
        }
        return chi2;
    }

    @Test
    void rejectionSamplingOfAChainDraftKeepsTheTargetDistribution() {
        for (int d = 0; d < TARGET.length; d++) {
            double chi2 = chiSquare(Draft.chain(new int[] {d, 0}));
            assertTrue(chi2 < CHI2_CRITICAL_4DOF, "draft " + d + ": chi2 " + chi2);
        }
    }

    @Test
    void rejectionSamplingOfSiblingCandidatesKeepsTheTargetDistribution() {
        Draft siblings = new Draft(new int[] {4, 1, 3}, new int[] {0, 0, 0});
        double chi2 = chiSquare(siblings);
        assertTrue(chi2 < CHI2_CRITICAL_4DOF, "chi2 " + chi2);
    }

    @Test
    void plainSamplingHasTheSameDistribution() {
        Sampler sampler = new Sampler(new Sampling.TopP(1.0, 1.0, 7));
        double[] p = sampler.distribution(logits());
        for (int i = 0; i < TARGET.length; i++) {
            assertEquals(TARGET[i], p[i], 1e-6);
        }
    }

    @Test
    void greedyAcceptsTheLongestPrefixOfArgmaxTokensThenCorrects() {
        AcceptRule greedy = new AcceptRule.Greedy();
        Acceptance all = Speculator.accept(Draft.chain(new int[] {0, 0, 0}), rows(4), greedy, l -> { });
        assertArrayEquals(new int[] {0, 0, 0}, all.accepted());
        assertEquals(0, all.next(), "bonus token");
        Acceptance some = Speculator.accept(Draft.chain(new int[] {0, 2, 0}), rows(4), greedy, l -> { });
        assertArrayEquals(new int[] {0}, some.accepted());
        assertEquals(0, some.next(), "correction");
        assertTrue(some.contiguous());
        Acceptance sibling = Speculator.accept(new Draft(new int[] {3, 0, 0}, new int[] {0, 0, 2}), rows(4), greedy,
                l -> { });
        assertArrayEquals(new int[] {2, 3}, sibling.path(), "second sibling, then its child");
        assertTrue(!sibling.contiguous());
        assertEquals(3, sibling.proposed());
        assertEquals(0, Arrays.stream(sibling.emitted()).sum());
    }
}

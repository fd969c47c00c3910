package dev.vlflow.engine.zipvl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.OptionalDouble;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** ZipVL's importance rules (Eq. 6–8) on hand-made masses, exact. */
class TokenSelectionTest {

    @Test
    void probesAreTheLastRowsPlusDistinctRandomOthersSortedAndSeeded() {
        int[] p = TokenSelection.probes(300, 64, 64, new SplittableRandom(7));
        assertEquals(128, p.length);
        assertEquals(128, Arrays.stream(p).distinct().count());
        for (int i = 0; i < 64; i++) {
            assertEquals(236 + i, p[64 + i]);
        }
        assertTrue(p[63] < 236);
        int[] sorted = p.clone();
        Arrays.sort(sorted);
        assertArrayEquals(sorted, p);
        assertArrayEquals(p, TokenSelection.probes(300, 64, 64, new SplittableRandom(7)));
        assertArrayEquals(new int[] {0, 1, 2, 3, 4}, TokenSelection.probes(5, 64, 64, new SplittableRandom(1)));
        assertArrayEquals(new int[] {0, 1, 2, 3}, TokenSelection.probes(4, 2, 64, new SplittableRandom(1)));
    }

    @Test
    void importantCountIsTheSmallestPrefixOfSortedMassReachingTau() {
        float[] mass = {0.1f, 5f, 0.2f, 3f, 1f, 0.7f};   // total 10
        assertEquals(1, TokenSelection.importantCount(mass, 0.5));
        assertEquals(2, TokenSelection.importantCount(mass, 0.8));
        assertEquals(3, TokenSelection.importantCount(mass, 0.9));
        assertEquals(6, TokenSelection.importantCount(mass, 1.0));
        assertEquals(1, TokenSelection.importantCount(new float[] {1f}, 0.1));
    }

    @Test
    void ratioRisesWhenMassIsFlatAndFallsWhenItIsPeaked() {
        float[] flat = new float[100];
        Arrays.fill(flat, 1f);
        float[] peaked = new float[100];
        Arrays.fill(peaked, 0.001f);
        peaked[3] = 40;
        peaked[50] = 60;
        assertEquals(98, TokenSelection.importantCount(flat, 0.975));
        assertEquals(2, TokenSelection.importantCount(peaked, 0.975));
    }

    @Test
    void scoresDivideByTheProbeQueriesThatSeeEachToken() {
        // probes at positions 12 and 14, 2 heads: token 10 is seen by 4 (probe, head) pairs, 13 by 2, 15 by none
        double[] s = TokenSelection.normalizedScores(new float[] {4f, 4f, 1f}, new int[] {10, 13, 15},
                new int[] {12, 14}, 2);
        assertArrayEquals(new double[] {1.0, 2.0, 0.0}, s);
    }

    @Test
    void topKeepsTheHighestScoresSortedWithTheLastTokenAlways() {
        double[] score = {0.5, 0.9, 0.1, 0.9, 0.2};
        assertArrayEquals(new int[] {1, 3, 4}, TokenSelection.top(score, 2, true));
        assertArrayEquals(new int[] {1, 3}, TokenSelection.top(score, 2, false));
        assertArrayEquals(new int[] {0, 1, 3, 4}, TokenSelection.top(score, 4, true));
    }

    @Test
    void forcedRatioKeepsThatShareByScore() {
        float[] mass = new float[10];
        for (int i = 0; i < 10; i++) {
            mass[i] = i == 2 || i == 6 || i == 7 ? 5 : 1;
        }
        int[] positions = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
        TokenSelection.Selection s = TokenSelection.select(mass, positions, new int[] {9}, 1, 0.975,
                OptionalDouble.of(0.3));
        assertEquals(3, s.count());
        assertArrayEquals(new int[] {2, 6, 7, 9}, s.kept());
    }
}

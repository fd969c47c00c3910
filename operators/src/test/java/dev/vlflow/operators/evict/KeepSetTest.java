package dev.vlflow.operators.evict;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class KeepSetTest {

    @Test
    void underBudgetKeepsEverything() {
        assertArrayEquals(new int[] {0, 1, 2}, KeepSet.select(new double[3], 3, 5, 1, 1));
        assertArrayEquals(new int[] {0, 1, 2}, KeepSet.select(new double[3], 3, 3, 1, 1));
    }

    @Test
    void keepsSinksRecentAndTheMostImportantMiddle() {
        //                 slot: 0    1    2    3    4    5    6    7    8    9
        double[] importance = {0.0, 9.0, 0.1, 0.7, 0.2, 0.9, 0.3, 0.0, 0.0, 0.0};
        // sinks {0, 1}, recent {8, 9}, budget 6 -> 2 of the middle {2..7}: 5 (0.9) and 3 (0.7)
        assertArrayEquals(new int[] {0, 1, 3, 5, 8, 9}, KeepSet.select(importance, 10, 6, 2, 2));
    }

    @Test
    void tiesGoToTheEarlierSlot() {
        double[] importance = {0, 1, 1, 1, 1, 0};
        assertArrayEquals(new int[] {0, 1, 2, 5}, KeepSet.select(importance, 6, 4, 1, 1));
    }

    @Test
    void noSinkTokens() {
        double[] importance = {5, 1, 4, 0, 0};
        assertArrayEquals(new int[] {0, 2, 4}, KeepSet.select(importance, 5, 3, 0, 1));
    }

    @Test
    void budgetBelowSinksAndRecentIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> KeepSet.select(new double[10], 10, 3, 2, 2));
    }
}

package dev.vlflow.vision.sampling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FrameSelectionTest {

    /** Expected values printed by numpy 1.24: {@code list(np.linspace(0, total - 1, n, dtype=int))}. */
    @Test
    void uniformMatchesNumpyLinspace() {
        assertArrayEquals(new long[] {0, 3, 6, 9, 12, 15, 19, 22, 25, 28, 31, 35, 38, 41, 44, 47, 51, 54, 57, 60, 63,
            67, 70, 73, 76, 79, 83, 86, 89, 92, 95, 99}, FrameSelection.uniform(100, 32));
        assertArrayEquals(new long[] {0, 0, 0, 0, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 6, 6, 6, 6, 7, 7,
            7, 8, 8, 8, 9}, FrameSelection.uniform(10, 32));
        assertArrayEquals(new long[] {0}, FrameSelection.uniform(1, 1));
        assertArrayEquals(new long[] {0, 0, 0, 0}, FrameSelection.uniform(1, 4));
        assertArrayEquals(new long[] {0, 0, 1}, FrameSelection.uniform(2, 3));
        assertArrayEquals(new long[] {0}, FrameSelection.uniform(7, 1));
        assertArrayEquals(new long[] {0, 42, 85, 128, 170, 213, 256, 299}, FrameSelection.uniform(300, 8));
        assertArrayEquals(new long[] {0, 166, 333, 499, 666, 832, 999}, FrameSelection.uniform(1000, 7));
        assertArrayEquals(new long[] {0, 29, 58, 87, 116, 145, 174, 203, 232, 261, 290, 319, 348, 377, 406, 435, 464,
            493, 522, 551, 580, 609, 638, 667, 696, 725, 754, 783, 812, 841, 870, 900}, FrameSelection.uniform(901, 32));
        long[] big = FrameSelection.uniform(12345, 64);
        assertEquals(64, big.length);
        assertArrayEquals(new long[] {0, 195, 391, 587, 783, 979, 1175, 1371, 1567, 1763, 1959, 2155, 2351, 2547, 2743,
            2939, 3134, 3330}, Arrays.copyOf(big, 18));
        assertEquals(12344, big[63]);
    }

    @Test
    void uniformRejectsEmptyInput() {
        assertThrows(IllegalArgumentException.class, () -> FrameSelection.uniform(0, 4));
        assertThrows(IllegalArgumentException.class, () -> FrameSelection.uniform(10, 0));
    }

    @Test
    void atRateTakesTheFirstFrameAtOrAfterEachTick() {
        long[] at25 = new long[100];
        Arrays.setAll(at25, i -> i * 40_000L);
        // 2 fps over 25 fps: ticks at 0, 0.5, 1.0 s ... -> frames 0, 13 (0.52 s), 25, 38, ...
        assertArrayEquals(new int[] {0, 13, 25, 38, 50, 63, 75, 88}, FrameSelection.atRate(at25, 2));
        // at the native rate every frame is taken
        int[] all = FrameSelection.atRate(at25, 25);
        assertEquals(100, all.length);
        // 30 fps, timestamps rounded to microseconds as the decoder reports them; 1 fps -> every 30th frame
        long[] at30 = new long[91];
        Arrays.setAll(at30, i -> Math.round(i * 1e6 / 30));
        assertArrayEquals(new int[] {0, 30, 60, 90}, FrameSelection.atRate(at30, 1));
        assertEquals(91, FrameSelection.atRate(at30, 30).length);
    }

    @Test
    void atRateSkipsTicksInsideGapsAndTakesEachFrameOnce() {
        // frames at 0, 0.04, 0.08, 0.2, 0.36, 0.4, 2.0, 3.96 s (a variable-rate video with gaps)
        long[] micros = {0, 40_000, 80_000, 200_000, 360_000, 400_000, 2_000_000, 3_960_000};
        assertArrayEquals(new int[] {0, 6, 7}, FrameSelection.atRate(micros, 2));
        assertArrayEquals(new int[] {0, 3, 4, 5, 6, 7}, FrameSelection.atRate(micros, 10));
    }

    @Test
    void liveTickerAgreesWithBoundedSelectionOnRandomTimestamps() {
        Random random = new Random(7);
        for (int trial = 0; trial < 200; trial++) {
            int n = 1 + random.nextInt(300);
            long[] micros = new long[n];
            long t = random.nextInt(1000);
            for (int i = 0; i < n; i++) {
                t += 1 + random.nextInt(200_000);
                micros[i] = t;
            }
            double fps = 0.25 + random.nextDouble() * 30;
            int[] picked = FrameSelection.atRate(micros, fps);
            RateTicker ticker = new RateTicker(fps);
            List<Integer> live = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                if (ticker.accept(micros[i])) {
                    live.add(i);
                }
            }
            assertArrayEquals(live.stream().mapToInt(Integer::intValue).toArray(), picked);
            // Every tick up to the last frame is covered by the first frame at or after it.
            for (int k = 0; Math.floor(k * 1e6 / fps) <= micros[n - 1]; k++) {
                long tick = (long) Math.floor(k * 1e6 / fps);
                int first = firstAtOrAfter(micros, tick);
                assertTrue(Arrays.binarySearch(picked, first) >= 0, "tick " + tick + " frame " + first);
            }
            assertEquals(0, picked[0]);
        }
    }

    private static int firstAtOrAfter(long[] micros, long tick) {
        for (int i = 0; i < micros.length; i++) {
            if (micros[i] >= tick) {
                return i;
            }
        }
        return -1;
    }
}

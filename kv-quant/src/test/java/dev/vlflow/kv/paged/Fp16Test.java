package dev.vlflow.kv.paged;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** fp16 conversions: exact round trip of every finite half, nearest-even rounding, directed rounding. */
class Fp16Test {

    @Test
    void everyFiniteHalfRoundTripsExactly() {
        for (int b = 0; b < 0x10000; b++) {
            if ((b & 0x7c00) == 0x7c00) {
                continue; // infinities and NaNs are never stored
            }
            short h = (short) b;
            float f = Fp16.toFloat(h);
            short back = Fp16.fromFloat(f);
            if (b == 0x8000) {
                assertEquals(0x8000, back & 0xffff);
            } else {
                assertEquals(b, back & 0xffff, "half 0x" + Integer.toHexString(b) + " = " + f);
            }
        }
    }

    @Test
    void knownValues() {
        assertEquals(1f, Fp16.toFloat((short) 0x3c00));
        assertEquals(-2f, Fp16.toFloat((short) 0xc000));
        assertEquals(65504f, Fp16.toFloat((short) 0x7bff));
        assertEquals(0x1p-24f, Fp16.toFloat((short) 0x0001));
        assertEquals(0x3c00, Fp16.fromFloat(1f) & 0xffff);
        assertEquals(0x7c00, Fp16.fromFloat(65520f) & 0xffff);   // overflow to infinity
        assertEquals(0x7bff, Fp16.fromFloat(65519f) & 0xffff);
        assertEquals(0x3c00, Fp16.fromFloat(1f + 0x1p-11f) & 0xffff); // tie to even
        assertEquals(0x3c02, Fp16.fromFloat(1f + 3 * 0x1p-11f) & 0xffff); // tie to even (up)
        assertEquals(0, Fp16.fromFloat(0x1p-25f) & 0xffff);       // tie to even zero
        assertEquals(1, Fp16.fromFloat(0x1.8p-25f) & 0xffff);
    }

    @Test
    void roundingIsNearestAndDirectedRoundingBrackets() {
        Random rnd = new Random(11);
        for (int i = 0; i < 200_000; i++) {
            float f = (float) (rnd.nextGaussian() * Math.pow(10, rnd.nextInt(9) - 6));
            float near = Fp16.toFloat(Fp16.fromFloat(f));
            float down = Fp16.toFloat(Fp16.roundDown(f));
            float up = Fp16.toFloat(Fp16.roundUp(f));
            assertTrue(down <= f && f <= up, f + " not in [" + down + ", " + up + "]");
            assertTrue(near == down || near == up, "nearest " + near + " is not a neighbour of " + f);
            assertTrue(Math.abs(near - f) <= Math.min(f - down, up - f) + 0f, "not nearest for " + f);
            assertTrue(Fp16.toFloat(Fp16.fromFloat(Math.nextDown(up))) <= up);
        }
    }
}

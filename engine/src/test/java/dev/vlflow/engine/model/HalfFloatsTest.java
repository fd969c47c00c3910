package dev.vlflow.engine.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** 16-bit conversions against exact bit patterns and exhaustive round trips. */
class HalfFloatsTest {

    @Test
    void knownBitPatterns() {
        assertEquals((short) 0x3F80, HalfFloats.floatToBf16(1f));
        assertEquals((short) 0xC000, HalfFloats.floatToBf16(-2f));
        assertEquals((short) 0x3C00, HalfFloats.floatToF16(1f));
        assertEquals((short) 0xC000, HalfFloats.floatToF16(-2f));
        assertEquals((short) 0x7BFF, HalfFloats.floatToF16(65504f)); // largest half
        assertEquals((short) 0x7C00, HalfFloats.floatToF16(1e6f)); // overflow -> inf
        assertEquals((short) 0x0001, HalfFloats.floatToF16(0x1p-24f)); // smallest subnormal
        assertEquals(0x1p-24f, HalfFloats.f16ToFloat((short) 0x0001));
        assertEquals(65504f, HalfFloats.f16ToFloat((short) 0x7BFF));
    }

    @Test
    void bf16RoundsToNearestEven() {
        // 1 + 2^-8 lies exactly between bf16 1.0 and 1.0078125: ties to even (1.0)
        assertEquals(1f, HalfFloats.bf16ToFloat(HalfFloats.floatToBf16(1f + 0x1p-8f)));
        // 1 + 3 * 2^-8 lies between 1.0078125 (odd mantissa) and 1.015625: ties to even (1.015625)
        assertEquals(1.015625f, HalfFloats.bf16ToFloat(HalfFloats.floatToBf16(1f + 3 * 0x1p-8f)));
        assertEquals(1.0078125f, HalfFloats.bf16ToFloat(HalfFloats.floatToBf16(1f + 0x1p-8f + 0x1p-20f)));
        assertTrue(Float.isNaN(HalfFloats.bf16ToFloat(HalfFloats.floatToBf16(Float.NaN))));
    }

    @Test
    void everyHalfRoundTrips() {
        for (int bits = 0; bits < 0x10000; bits++) {
            float f = HalfFloats.f16ToFloat((short) bits);
            if (Float.isNaN(f)) {
                assertTrue(((bits >>> 10) & 0x1F) == 0x1F && (bits & 0x3FF) != 0);
                continue;
            }
            assertEquals((short) bits, HalfFloats.floatToF16(f), "half bits " + Integer.toHexString(bits));
        }
    }

    @Test
    void everyBf16RoundTrips() {
        for (int bits = 0; bits < 0x10000; bits++) {
            float f = HalfFloats.bf16ToFloat((short) bits);
            if (!Float.isNaN(f)) {
                assertEquals((short) bits, HalfFloats.floatToBf16(f), "bf16 bits " + Integer.toHexString(bits));
            }
        }
    }

    @Test
    void f16RoundingErrorIsAtMostHalfAnUlp() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(7);
        for (int i = 0; i < 100_000; i++) {
            float x = (float) random.nextDouble(-60000, 60000) * (float) Math.pow(2, -random.nextInt(0, 30));
            float back = HalfFloats.f16ToFloat(HalfFloats.floatToF16(x));
            float ulp = Math.max(Math.ulp(back) * (1 << 13), 0x1p-24f);
            assertTrue(Math.abs(back - x) <= ulp / 2, x + " -> " + back);
        }
    }
}

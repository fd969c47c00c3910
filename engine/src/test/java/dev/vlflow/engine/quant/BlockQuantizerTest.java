package dev.vlflow.engine.quant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.FloatBuffer;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The quantizer exactly: codes and nibble order in MatMulNBits' layout, and the round-trip bound scale / 2. */
class BlockQuantizerTest {

    @Test
    void fourBitCodesPackLowNibbleFirst() {
        float[] w = new float[2 * 32]; // [2, 32]: row 0 spans -7..7 (scale 1), row 1 the same times 0.5
        for (int k = 0; k < 32; k++) {
            w[k] = (k % 15) - 7;
            w[32 + k] = 0.5f * w[k];
        }
        BlockQuantized q = BlockQuantizer.quantize(FloatBuffer.wrap(w), 2, 32, 4, 32);
        assertEquals(1f, q.scales().get(0));
        assertEquals(0.5f, q.scales().get(1));
        for (int n = 0; n < 2; n++) {
            for (int i = 0; i < 16; i++) {
                int low = (int) w[2 * i] + 8;
                int high = (int) w[2 * i + 1] + 8;
                assertEquals((byte) (low | high << 4), q.packed().get(n * 16 + i), "row " + n + " byte " + i);
            }
        }
        assertEquals(w[5], q.value(0, 5));
        assertEquals(w[32 + 6], q.value(1, 6));
    }

    @Test
    void eightBitCodesAreOffsetBy128AndLastBlockPadsWithTheZeroPoint() {
        float[] w = new float[40]; // [1, 40] in blocks of 32: block 1 holds 8 weights and 24 padding codes
        for (int k = 0; k < 40; k++) {
            w[k] = k < 32 ? k * 127f / 31 - 64 : -127 + k;
        }
        w[0] = -127; // block 0: max |w| = 127 -> scale 1
        BlockQuantized q = BlockQuantizer.quantize(FloatBuffer.wrap(w), 1, 40, 8, 32);
        assertEquals(2, q.blocks());
        assertEquals(1f, q.scales().get(0));
        for (int k = 0; k < 32; k++) {
            assertEquals(Math.round(w[k]) + 128, q.packed().get(k) & 0xFF, "k " + k);
        }
        for (int k = 40; k < 64; k++) {
            assertEquals(128, q.packed().get(k) & 0xFF, "padding " + k);
        }
        assertEquals(64, q.packed().capacity());
    }

    @ParameterizedTest(name = "{0} bits, blocks of {1}, K={2}")
    @CsvSource({"4, 32, 96", "4, 32, 100", "8, 128, 96", "8, 128, 300", "8, 32, 64"})
    void everyWeightComesBackWithinHalfAScale(int bits, int blockSize, int columns) {
        int rows = 7;
        SplittableRandom random = new SplittableRandom(bits * 31L + columns);
        float[] w = new float[rows * columns];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (random.nextGaussian() * (1 + i % 5));
        }
        BlockQuantized q = BlockQuantizer.quantize(FloatBuffer.wrap(w), rows, columns, bits, blockSize);
        for (int n = 0; n < rows; n++) {
            for (int k = 0; k < columns; k++) {
                float scale = q.scales().get(n * q.blocks() + k / blockSize);
                double error = Math.abs(q.value(n, k) - w[n * columns + k]);
                assertTrue(error <= scale / 2 * (1 + 1e-5), "w[" + n + "," + k + "] error " + error + " scale " + scale);
                assertTrue(q.code(n, k) >= 1 && q.code(n, k) < (1 << bits), "code in the symmetric range");
            }
        }
    }

    @Test
    void allZeroBlockHasZeroScaleAndZeroPointCodes() {
        BlockQuantized q = BlockQuantizer.quantize(FloatBuffer.wrap(new float[32]), 1, 32, 4, 32);
        assertEquals(0f, q.scales().get(0));
        assertEquals((byte) 0x88, q.packed().get(0));
    }

    @Test
    void precisionParsesOnceWithItsGeometry() {
        assertEquals(WeightPrecision.INT4, WeightPrecision.parse("INT4"));
        assertEquals(WeightPrecision.FP32, WeightPrecision.parse(" fp32"));
        assertThrows(IllegalArgumentException.class, () -> WeightPrecision.parse("int3"));
        assertEquals(4 / 8.0 + 4.0 / 32, WeightPrecision.INT4.bytesPerWeight());
        assertEquals(4.0, WeightPrecision.FP32.bytesPerWeight());
    }
}

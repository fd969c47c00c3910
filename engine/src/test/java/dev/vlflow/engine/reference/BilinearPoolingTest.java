package dev.vlflow.engine.reference;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Expectations derived by hand from PyTorch's half-pixel rule for {@code align_corners=False}:
 * {@code src = (dst + 0.5) * in / out - 0.5}, clamped at 0, {@code i1 = min(i0 + 1, in - 1)}.
 */
class BilinearPoolingTest {

    @Test
    void fourByFourToTwoByTwoIsTheTwoByTwoAverage() {
        // scale 2: src(0) = 0.5, src(1) = 2.5 -> each output blends two neighbours equally per axis.
        float[] in = new float[16];
        for (int i = 0; i < 16; i++) {
            in[i] = i * i;                       // not linear, so this is really the block average
        }
        float[] out = BilinearPooling.resize(in, 1, 4, 4, 2, 2);
        for (int oy = 0; oy < 2; oy++) {
            for (int ox = 0; ox < 2; ox++) {
                int a = (2 * oy) * 4 + 2 * ox;
                float mean = (in[a] + in[a + 1] + in[a + 4] + in[a + 5]) / 4;
                assertEquals(mean, out[oy * 2 + ox], 1e-4f);
            }
        }
    }

    @Test
    void threeToTwoByHand() {
        // scale 1.5: src(0) = 0.25 -> taps (0, 1) weights (0.75, 0.25); src(1) = 1.75 -> taps (1, 2) weights (0.25, 0.75).
        assertEquals(new BilinearPooling.Taps(0, 1, 0.75, 0.25), BilinearPooling.taps(0, 3, 2));
        assertEquals(new BilinearPooling.Taps(1, 2, 0.25, 0.75), BilinearPooling.taps(1, 3, 2));
        // A linear ramp f(y, x) = 3y + x + 1 is sampled exactly at (src_y, src_x).
        float[] ramp = {1, 2, 3, 4, 5, 6, 7, 8, 9};
        assertArrayEquals(new float[] {2.0f, 3.5f, 6.5f, 8.0f}, BilinearPooling.resize(ramp, 1, 3, 3, 2, 2), 1e-6f);
        // A centre delta gets weight 0.25 per axis in every output; a corner delta reaches one output with 0.75^2.
        float[] centre = new float[9];
        centre[4] = 1;
        assertArrayEquals(new float[] {0.0625f, 0.0625f, 0.0625f, 0.0625f},
                BilinearPooling.resize(centre, 1, 3, 3, 2, 2), 1e-7f);
        float[] corner = new float[9];
        corner[8] = 1;
        assertArrayEquals(new float[] {0, 0, 0, 0.5625f}, BilinearPooling.resize(corner, 1, 3, 3, 2, 2), 1e-7f);
    }

    @Test
    void twentySevenToFourteenByHand() {
        // scale 27/14: src(d) = (27 d + 6.5) / 14, always in [0.46, 25.54], so never clamped.
        for (int d = 0; d < 14; d++) {
            double src = (27.0 * d + 6.5) / 14.0;
            int i0 = (int) Math.floor(src);
            BilinearPooling.Taps taps = BilinearPooling.taps(d, 27, 14);
            assertEquals(i0, taps.i0());
            assertEquals(i0 + 1, taps.i1());
            assertEquals(src - i0, taps.w1(), 1e-12);
            assertEquals(1 - (src - i0), taps.w0(), 1e-12);
        }
        assertEquals(25, BilinearPooling.taps(13, 27, 14).i0());
        assertEquals(26, BilinearPooling.taps(13, 27, 14).i1());
        // Ramp f = 27 y + x: output (dy, dx) = 27 src(dy) + src(dx).
        float[] ramp = new float[27 * 27];
        for (int i = 0; i < ramp.length; i++) {
            ramp[i] = i;
        }
        float[] out = BilinearPooling.resize(ramp, 1, 27, 27, 14, 14);
        for (int dy = 0; dy < 14; dy++) {
            for (int dx = 0; dx < 14; dx++) {
                double expected = 27 * (27.0 * dy + 6.5) / 14 + (27.0 * dx + 6.5) / 14;
                assertEquals(expected, out[dy * 14 + dx], 2e-4, "(" + dy + ", " + dx + ")");
            }
        }
        // Corner deltas: (0,0) and (26,26) each reach only the corner output, with weight (7.5/14)^2.
        float[] delta = new float[27 * 27];
        delta[0] = 1;
        delta[27 * 27 - 1] = 1;
        float[] pooled = BilinearPooling.resize(delta, 1, 27, 27, 14, 14);
        double w = (7.5 / 14) * (7.5 / 14);
        assertEquals(w, pooled[0], 1e-7);
        assertEquals(w, pooled[14 * 14 - 1], 1e-7);
        double sum = 0;
        for (float p : pooled) {
            sum += p;
        }
        assertEquals(2 * w, sum, 1e-6);
        // A delta at (1,1) reaches only output (0,0), with weight (6.5/14)^2.
        float[] inner = new float[27 * 27];
        inner[28] = 1;
        float[] innerOut = BilinearPooling.resize(inner, 1, 27, 27, 14, 14);
        assertEquals((6.5 / 14) * (6.5 / 14), innerOut[0], 1e-7);
        assertEquals(0.0, innerOut[1], 0.0);
    }

    @Test
    void upsamplingClampsAtZeroAndRepeatsTheLastSample() {
        // 2 -> 4, scale 0.5: src = [-0.25 -> 0, 0.25, 0.75, 1.25 (i0 = 1, i1 = min(2, 1) = 1)].
        assertEquals(new BilinearPooling.Taps(0, 1, 1.0, 0.0), BilinearPooling.taps(0, 2, 4));
        assertEquals(new BilinearPooling.Taps(1, 1, 0.75, 0.25), BilinearPooling.taps(3, 2, 4));
        float[] out = BilinearPooling.resize(new float[] {4, 8}, 1, 1, 2, 1, 4);
        assertArrayEquals(new float[] {4, 5, 7, 8}, out, 1e-6f);
    }

    @Test
    void poolFrameResizesEachChannelOfChannelLastTokens() {
        // side 3, two channels: channel 0 the ramp 3y + x + 1, channel 1 a centre delta.
        float[] tokens = new float[9 * 2];
        for (int p = 0; p < 9; p++) {
            tokens[p * 2] = p + 1;
            tokens[p * 2 + 1] = p == 4 ? 1 : 0;
        }
        float[] pooled = BilinearPooling.poolFrame(tokens, 3, 2);       // [4 tokens, 2 channels]
        assertArrayEquals(new float[] {2.0f, 0.0625f, 3.5f, 0.0625f, 6.5f, 0.0625f, 8.0f, 0.0625f}, pooled, 1e-6f);
    }
}

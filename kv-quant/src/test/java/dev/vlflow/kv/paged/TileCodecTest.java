package dev.vlflow.kv.paged;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Quantize → dequantize of key and value tiles: every element is within half its group's scale (plus 2 float
 * ulps of the element for the fp32 arithmetic); 16-bit tiles equal the fp16 rounding of the input.
 */
class TileCodecTest {

    private static final int G = 32;
    private static final int D = 64;
    private static final int W = 2 * D; // two heads per row; the tile reads head 1

    /** Rows of {@code G} tokens, each channel with its own offset and spread (key-like outlier channels). */
    private static float[] rows(Random rnd) {
        float[] x = new float[G * W];
        float[] offset = new float[W];
        float[] spread = new float[W];
        for (int c = 0; c < W; c++) {
            offset[c] = (float) rnd.nextGaussian() * (c % 7 == 0 ? 20f : 1f);
            spread[c] = (float) Math.exp(rnd.nextGaussian());
        }
        for (int t = 0; t < G; t++) {
            for (int c = 0; c < W; c++) {
                x[t * W + c] = offset[c] + spread[c] * (float) rnd.nextGaussian();
            }
        }
        x[5 * W + D + 3] = 3000f; // one large outlier in the tile
        return x;
    }

    private static float bound(float scale, float x) {
        return scale / 2 + 2 * Math.ulp(x);
    }

    @Test
    void keyErrorIsAtMostHalfTheChannelScale() {
        for (int bits : new int[] {8, 4, 2}) {
            float[] x = rows(new Random(bits));
            byte[] codes = new byte[TileCodec.tileBytes(G * D, bits)];
            int[] params = new int[TileCodec.keyParams(D, bits)];
            TileCodec.encodeKeys(x, D, W, G, D, bits, codes, 0, params, 0);
            float[] tile = new float[G * D];
            TileCodec.decodeKeys(bits, codes, 0, params, 0, G, D, tile);
            for (int c = 0; c < D; c++) {
                float scale = TileCodec.scale(params[c]);
                for (int t = 0; t < G; t++) {
                    float orig = x[t * W + D + c];
                    float err = Math.abs(tile[c * G + t] - orig);
                    assertTrue(err <= bound(scale, orig), bits + "-bit key c=" + c + " t=" + t + " error " + err
                            + " > scale/2 = " + scale / 2);
                }
            }
        }
    }

    @Test
    void valueErrorIsAtMostHalfTheTokenGroupScale() {
        int cg = 16;
        int groups = D / cg;
        for (int bits : new int[] {8, 4, 2}) {
            float[] x = rows(new Random(10 + bits));
            byte[] codes = new byte[TileCodec.tileBytes(G * D, bits)];
            int[] params = new int[TileCodec.valueParams(G, D, cg, bits)];
            TileCodec.encodeValues(x, D, W, G, D, cg, bits, codes, 0, params, 0);
            float[] tile = new float[G * D];
            TileCodec.decodeValues(bits, codes, 0, params, 0, G, D, cg, tile);
            for (int t = 0; t < G; t++) {
                for (int c = 0; c < D; c++) {
                    float scale = TileCodec.scale(params[t * groups + c / cg]);
                    float orig = x[t * W + D + c];
                    float err = Math.abs(tile[t * D + c] - orig);
                    assertTrue(err <= bound(scale, orig), bits + "-bit value t=" + t + " c=" + c + " error " + err
                            + " > scale/2 = " + scale / 2);
                }
            }
        }
    }

    @Test
    void constantGroupsAndShortValueGroupsStayWithinBound() {
        int g = 4;
        int d = 12;
        int cg = 8; // channel groups of 8 and 4
        float[] x = new float[g * d];
        for (int t = 0; t < g; t++) {
            for (int c = 0; c < d; c++) {
                x[t * d + c] = c < 5 ? 0.1f : (float) (t * 0.37 - c);
            }
        }
        for (int bits : new int[] {8, 4, 2}) {
            byte[] codes = new byte[TileCodec.tileBytes(g * d, bits)];
            int[] kp = new int[TileCodec.keyParams(d, bits)];
            int[] vp = new int[TileCodec.valueParams(g, d, cg, bits)];
            float[] tile = new float[g * d];
            TileCodec.encodeKeys(x, 0, d, g, d, bits, codes, 0, kp, 0);
            TileCodec.decodeKeys(bits, codes, 0, kp, 0, g, d, tile);
            for (int c = 0; c < d; c++) {
                for (int t = 0; t < g; t++) {
                    float s = TileCodec.scale(kp[c]);
                    assertTrue(s > 0f);
                    assertTrue(Math.abs(tile[c * g + t] - x[t * d + c]) <= bound(s, x[t * d + c]));
                }
            }
            TileCodec.encodeValues(x, 0, d, g, d, cg, bits, codes, 0, vp, 0);
            TileCodec.decodeValues(bits, codes, 0, vp, 0, g, d, cg, tile);
            for (int t = 0; t < g; t++) {
                for (int c = 0; c < d; c++) {
                    float s = TileCodec.scale(vp[t * 2 + c / cg]);
                    assertTrue(Math.abs(tile[t * d + c] - x[t * d + c]) <= bound(s, x[t * d + c]));
                }
            }
        }
    }

    @Test
    void sixteenBitTilesHoldTheFp16OfEachElement() {
        float[] x = rows(new Random(3));
        byte[] codes = new byte[TileCodec.tileBytes(G * D, 16)];
        TileCodec.encodeKeys(x, D, W, G, D, 16, codes, 0, new int[0], 0);
        float[] keys = new float[G * D];
        TileCodec.decodeKeys(16, codes, 0, new int[0], 0, G, D, keys);
        TileCodec.encodeValues(x, D, W, G, D, 32, 16, codes, 0, new int[0], 0);
        float[] values = new float[G * D];
        TileCodec.decodeValues(16, codes, 0, new int[0], 0, G, D, 32, values);
        for (int t = 0; t < G; t++) {
            for (int c = 0; c < D; c++) {
                float expected = Fp16.toFloat(Fp16.fromFloat(x[t * W + D + c]));
                assertEquals(expected, keys[c * G + t]);
                assertEquals(expected, values[t * D + c]);
            }
        }
    }

    @Test
    void planePackingRoundTripsEveryCode() {
        Random rnd = new Random(5);
        for (int bits : new int[] {8, 4, 2}) {
            int e = 48;
            float[] x = new float[e];
            for (int i = 0; i < e; i++) {
                x[i] = rnd.nextInt(1 << bits); // integers 0..2^b-1: zero 0, scale 1 after rounding
            }
            x[0] = 0;
            x[1] = (1 << bits) - 1;
            byte[] codes = new byte[TileCodec.tileBytes(e, bits)];
            int[] params = new int[TileCodec.valueParams(1, e, e, bits)];
            TileCodec.encodeValues(x, 0, e, 1, e, e, bits, codes, 0, params, 0);
            assertEquals(0f, TileCodec.zero(params[0]));
            assertEquals(1f, TileCodec.scale(params[0]));
            for (int i = 0; i < e; i++) {
                assertEquals((int) x[i], TileCodec.unpack(codes, 0, e, bits, i));
            }
        }
    }
}

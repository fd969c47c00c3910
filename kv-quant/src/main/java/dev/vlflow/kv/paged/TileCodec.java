package dev.vlflow.kv.paged;

/**
 * Scalar quantization, packing and decoding of one tile: the keys or the values of {@code G} tokens
 * ({@code G} = the group size) for one KV head, {@code E = G · headDim} elements.
 *
 * <p>Quantizer (KIVI/ZipCache: asymmetric, round to nearest): for a group {@code X} with zero {@code z} and scale
 * {@code s}, {@code code = clamp(round((x - z) / s), 0, 2^b - 1)} and {@code x' = fma(code, s, z)}. {@code z} is
 * the group minimum rounded down to fp16 and {@code s = (max - z) / (2^b - 1)} rounded up to fp16 (at least the
 * smallest positive half), so every element lies in {@code [z, z + s·(2^b-1)]} and {@code |x' - x| <= s/2} up to
 * float rounding. Inputs are clamped to ±65504 first.
 * <ul>
 *   <li>keys: element order {@code [c][t]} (channel-major); one {@code (z, s)} per channel over the G tokens;</li>
 *   <li>values: element order {@code [t][c]} (token-major); one {@code (z, s)} per token and group of
 *       {@code channelGroup} channels (the last group of a head may be shorter).</li>
 * </ul>
 *
 * <p>Packing ("planes" over 32-bit words): a tile of {@code E} elements at {@code b ∈ {16, 8, 4, 2}} bits takes
 * {@code N = E·b/32} little-endian 32-bit words; element {@code e} sits in word {@code e mod N} at bits
 * {@code [p·b, p·b + b)} where {@code p = e / N}. A vector decoder thus turns L consecutive words into L consecutive
 * elements of each of the {@code 32/b} planes with one shift and mask (16-bit tiles hold fp16 bit patterns, 2
 * planes). Needs {@code E % 16 == 0}. Parameters are one int per group: fp16 zero in the low half, fp16 scale in
 * the high half; 16-bit tiles have none.
 */
public final class TileCodec {

    private TileCodec() {
    }

    /** Whether {@code bits} is a stored precision. */
    public static boolean validBits(int bits) {
        return bits == 16 || bits == 8 || bits == 4 || bits == 2;
    }

    /** Bytes of codes of a tile of {@code elements} at {@code bits}. */
    public static int tileBytes(int elements, int bits) {
        return elements * bits / 8;
    }

    /** Parameter ints (packed fp16 zero and scale) of one key tile: one per channel, none at 16 bits. */
    public static int keyParams(int d, int bits) {
        return bits == 16 ? 0 : d;
    }

    /** Parameter ints of one value tile: {@code [G][channelGroups]}, none at 16 bits. */
    public static int valueParams(int g, int d, int channelGroup, int bits) {
        return bits == 16 ? 0 : g * channelGroups(d, channelGroup);
    }

    /** fp16 zero of a packed parameter. */
    public static float zero(int param) {
        return Fp16.toFloat((short) param);
    }

    /** fp16 scale of a packed parameter. */
    public static float scale(int param) {
        return Fp16.toFloat((short) (param >>> 16));
    }

    public static int channelGroups(int d, int channelGroup) {
        return (d + channelGroup - 1) / channelGroup;
    }

    /**
     * Quantizes the keys of {@code g} tokens of one head: token {@code t}'s channel {@code c} is
     * {@code rows[rowOff + t * rowStride + c]}.
     */
    public static void encodeKeys(float[] rows, int rowOff, int rowStride, int g, int d, int bits,
                                  byte[] codes, int codeOff, int[] params, int paramOff) {
        int[] q = new int[g * d]; // [d][g]
        for (int c = 0; c < d; c++) {
            if (bits == 16) {
                for (int t = 0; t < g; t++) {
                    q[c * g + t] = Fp16.fromFloat(Fp16.clamp(rows[rowOff + t * rowStride + c])) & 0xffff;
                }
                continue;
            }
            float min = Float.POSITIVE_INFINITY;
            float max = Float.NEGATIVE_INFINITY;
            for (int t = 0; t < g; t++) {
                float x = Fp16.clamp(rows[rowOff + t * rowStride + c]);
                min = Math.min(min, x);
                max = Math.max(max, x);
            }
            int p = paramOff + c;
            params[p] = param(min, max, bits);
            float z = zero(params[p]);
            float s = scale(params[p]);
            for (int t = 0; t < g; t++) {
                q[c * g + t] = code(Fp16.clamp(rows[rowOff + t * rowStride + c]), z, s, bits);
            }
        }
        pack(q, bits, codes, codeOff);
    }

    /**
     * Quantizes the values of {@code g} tokens of one head, per token and group of {@code channelGroup} channels:
     * token {@code t}'s channel {@code c} is {@code rows[rowOff + t * rowStride + c]}.
     */
    public static void encodeValues(float[] rows, int rowOff, int rowStride, int g, int d, int channelGroup,
                                    int bits, byte[] codes, int codeOff, int[] params, int paramOff) {
        int[] q = new int[g * d]; // [g][d]
        int groups = channelGroups(d, channelGroup);
        for (int t = 0; t < g; t++) {
            int row = rowOff + t * rowStride;
            if (bits == 16) {
                for (int c = 0; c < d; c++) {
                    q[t * d + c] = Fp16.fromFloat(Fp16.clamp(rows[row + c])) & 0xffff;
                }
                continue;
            }
            for (int cg = 0; cg < groups; cg++) {
                int c0 = cg * channelGroup;
                int c1 = Math.min(d, c0 + channelGroup);
                float min = Float.POSITIVE_INFINITY;
                float max = Float.NEGATIVE_INFINITY;
                for (int c = c0; c < c1; c++) {
                    float x = Fp16.clamp(rows[row + c]);
                    min = Math.min(min, x);
                    max = Math.max(max, x);
                }
                int p = paramOff + t * groups + cg;
                params[p] = param(min, max, bits);
                float z = zero(params[p]);
                float s = scale(params[p]);
                for (int c = c0; c < c1; c++) {
                    q[t * d + c] = code(Fp16.clamp(rows[row + c]), z, s, bits);
                }
            }
        }
        pack(q, bits, codes, codeOff);
    }

    /** Dequantizes a key tile into {@code tile[c * g + t]} ({@code [d][g]}). */
    public static void decodeKeys(int bits, byte[] codes, int codeOff, int[] params, int paramOff, int g, int d,
                                  float[] tile) {
        int e = g * d;
        unpackAll(codes, codeOff, e, bits, tile);
        if (bits == 16) {
            return;
        }
        for (int c = 0; c < d; c++) {
            int p = params[paramOff + c];
            float z = zero(p);
            float s = scale(p);
            for (int t = 0; t < g; t++) {
                tile[c * g + t] = Math.fma(tile[c * g + t], s, z);
            }
        }
    }

    /** Dequantizes a value tile into {@code tile[t * d + c]} ({@code [g][d]}). */
    public static void decodeValues(int bits, byte[] codes, int codeOff, int[] params, int paramOff, int g, int d,
                                    int channelGroup, float[] tile) {
        int e = g * d;
        unpackAll(codes, codeOff, e, bits, tile);
        if (bits == 16) {
            return;
        }
        int groups = channelGroups(d, channelGroup);
        for (int t = 0; t < g; t++) {
            for (int cg = 0; cg < groups; cg++) {
                int p = params[paramOff + t * groups + cg];
                float z = zero(p);
                float s = scale(p);
                for (int c = cg * channelGroup; c < Math.min(d, (cg + 1) * channelGroup); c++) {
                    tile[t * d + c] = Math.fma(tile[t * d + c], s, z);
                }
            }
        }
    }

    /** Every element's code as a float (16 bits: its fp16 value), plane by plane. */
    private static void unpackAll(byte[] codes, int off, int e, int bits, float[] out) {
        int n = e * bits / 32;
        int mask = (int) ((1L << bits) - 1);
        for (int k = 0; k < n; k++) {
            int w = off + 4 * k;
            int word = (codes[w] & 0xff) | (codes[w + 1] & 0xff) << 8 | (codes[w + 2] & 0xff) << 16
                    | (codes[w + 3] & 0xff) << 24;
            for (int p = 0, i = k; p < 32 / bits; p++, i += n) {
                int raw = (word >>> (p * bits)) & mask;
                out[i] = bits == 16 ? Fp16.toFloat((short) raw) : (float) raw;
            }
        }
    }

    /** The stored code (or fp16 bits) of element {@code i} of a tile of {@code e} elements. */
    public static int unpack(byte[] codes, int off, int e, int bits, int i) {
        int n = e * bits / 32;
        int w = off + 4 * (i % n);
        int word = (codes[w] & 0xff) | (codes[w + 1] & 0xff) << 8 | (codes[w + 2] & 0xff) << 16
                | (codes[w + 3] & 0xff) << 24;
        return (word >>> ((i / n) * bits)) & ((1 << bits) - 1);
    }

    private static void pack(int[] q, int bits, byte[] codes, int off) {
        int e = q.length;
        if (e % 16 != 0) {
            throw new IllegalArgumentException("a tile of " + e + " elements does not fill whole 32-bit words at "
                    + "2 bits (needs a multiple of 16)");
        }
        int n = e * bits / 32;
        int[] words = new int[n];
        for (int i = 0; i < e; i++) {
            words[i % n] |= q[i] << ((i / n) * bits);
        }
        for (int k = 0; k < n; k++) {
            int w = off + 4 * k;
            codes[w] = (byte) words[k];
            codes[w + 1] = (byte) (words[k] >>> 8);
            codes[w + 2] = (byte) (words[k] >>> 16);
            codes[w + 3] = (byte) (words[k] >>> 24);
        }
    }

    /** Packed (zero, scale) of a group with this minimum and maximum. */
    private static int param(float min, float max, int bits) {
        short z = Fp16.roundDown(min);
        float zf = Fp16.toFloat(z);
        short s = Fp16.roundUp((max - zf) / ((1 << bits) - 1));
        if (Fp16.toFloat(s) <= 0f) {
            s = 0x0001;
        }
        return (z & 0xffff) | (s & 0xffff) << 16;
    }

    private static int code(float x, float z, float s, int bits) {
        int q = Math.round((x - z) / s);
        return Math.max(0, Math.min((1 << bits) - 1, q));
    }
}

package dev.vlflow.kv.paged;

/**
 * IEEE 754 half precision (binary16) held in a {@code short}, for Java 17 which lacks
 * {@code Float.floatToFloat16}. Only finite values are stored by the cache: {@link #fromFloat} rounds to nearest
 * even (overflow gives infinity), and {@link #toFloat} decodes finite values exactly with the same bit trick the
 * vector kernel uses (infinity and NaN decode as 65536·(1 + mantissa) — callers clamp with {@link #clamp}).
 */
public final class Fp16 {

    /** Largest finite half: 65504. */
    public static final float MAX = 65504f;
    private static final float REBIAS = 0x1p112f; // 2^(127 - 15)

    private Fp16() {
    }

    /** Round to nearest even. */
    public static short fromFloat(float f) {
        int x = Float.floatToRawIntBits(f);
        int sign = (x >>> 16) & 0x8000;
        int abs = x & 0x7fffffff;
        if (abs > 0x7f800000) {
            return (short) (sign | 0x7e00);
        }
        if (abs >= 0x477ff000) { // >= 65520 rounds to infinity
            return (short) (sign | 0x7c00);
        }
        if (abs >= 0x38800000) { // >= 2^-14: a normal half
            int h = abs - (112 << 23);
            h = (h + 0xfff + ((h >>> 13) & 1)) >>> 13;
            return (short) (sign | h);
        }
        if (abs <= 0x33000000) { // <= 2^-25 rounds to zero
            return (short) sign;
        }
        int e32 = abs >>> 23;
        int mant = (abs & 0x7fffff) | 0x800000;
        int shift = 126 - e32;
        int q = mant >>> shift;
        int rem = mant & ((1 << shift) - 1);
        int half = 1 << (shift - 1);
        if (rem > half || (rem == half && (q & 1) == 1)) {
            q++;
        }
        return (short) (sign | q);
    }

    /** Exact value of a finite half. */
    public static float toFloat(short h) {
        int bits = h & 0xffff;
        float mag = Float.intBitsToFloat((bits & 0x7fff) << 13) * REBIAS;
        return Float.intBitsToFloat(Float.floatToRawIntBits(mag) | ((bits & 0x8000) << 16));
    }

    /** The largest half that is {@code <= f} (f finite, within ±65504). */
    public static short roundDown(float f) {
        short h = fromFloat(f);
        return toFloat(h) > f ? nextDown(h) : h;
    }

    /** The smallest half that is {@code >= f} (f finite, within ±65504). */
    public static short roundUp(float f) {
        short h = fromFloat(f);
        return toFloat(h) < f ? nextUp(h) : h;
    }

    /** {@code f} limited to the finite half range. */
    public static float clamp(float f) {
        return Math.max(-MAX, Math.min(MAX, f));
    }

    private static short nextDown(short h) {
        int b = h & 0xffff;
        if (b == 0) {
            return (short) 0x8001;
        }
        return (short) ((b & 0x8000) == 0 ? b - 1 : b + 1);
    }

    private static short nextUp(short h) {
        int b = h & 0xffff;
        if (b == 0x8000) {
            return 0x0001;
        }
        return (short) ((b & 0x8000) == 0 ? b + 1 : b - 1);
    }
}

package dev.vlflow.vision.preprocess;

/**
 * Plain-Java resizes of packed RGB bytes to test the OpenCV path against, and to measure how far it is from PIL.
 * Both are separable: a horizontal pass, then a vertical one.
 */
final class ReferenceResize {

    private ReferenceResize() {
    }

    /**
     * OpenCV's {@code INTER_CUBIC} written from its definition, in double precision: source coordinate
     * {@code (d + 0.5) · in/out − 0.5}, four taps of the Keys kernel with {@code a = −0.75}, edge pixels repeated,
     * rounded and clamped to 0–255 once at the end. (OpenCV itself uses 11-bit fixed-point weights, so it may differ
     * by one level.)
     */
    static byte[] openCvCubic(byte[] rgb, int width, int height, int outWidth, int outHeight) {
        double[] rows = new double[height * outWidth * 3];   // [height, outWidth, 3] after the horizontal pass
        double scaleX = (double) width / outWidth;
        for (int x = 0; x < outWidth; x++) {
            double fx = (x + 0.5) * scaleX - 0.5;
            int sx = (int) Math.floor(fx);
            double[] w = keys(fx - sx, -0.75);
            for (int y = 0; y < height; y++) {
                for (int c = 0; c < 3; c++) {
                    double sum = 0;
                    for (int k = 0; k < 4; k++) {
                        int xx = clamp(sx - 1 + k, width);
                        sum += w[k] * (rgb[(y * width + xx) * 3 + c] & 0xff);
                    }
                    rows[(y * outWidth + x) * 3 + c] = sum;
                }
            }
        }
        byte[] out = new byte[outWidth * outHeight * 3];
        double scaleY = (double) height / outHeight;
        for (int y = 0; y < outHeight; y++) {
            double fy = (y + 0.5) * scaleY - 0.5;
            int sy = (int) Math.floor(fy);
            double[] w = keys(fy - sy, -0.75);
            for (int x = 0; x < outWidth; x++) {
                for (int c = 0; c < 3; c++) {
                    double sum = 0;
                    for (int k = 0; k < 4; k++) {
                        int yy = clamp(sy - 1 + k, height);
                        sum += w[k] * rows[(yy * outWidth + x) * 3 + c];
                    }
                    out[(y * outWidth + x) * 3 + c] = (byte) Math.max(0, Math.min(255, Math.round(sum)));
                }
            }
        }
        return out;
    }

    /** Weights of the four taps at offsets −1, 0, 1, 2 for a fractional position {@code t}. */
    private static double[] keys(double t, double a) {
        return new double[] {cubic(t + 1, a), cubic(t, a), cubic(1 - t, a), cubic(2 - t, a)};
    }

    private static double cubic(double x, double a) {
        x = Math.abs(x);
        if (x < 1) {
            return ((a + 2) * x - (a + 3)) * x * x + 1;
        }
        if (x < 2) {
            return ((a * x - 5 * a) * x + 8 * a) * x - 4 * a;
        }
        return 0;
    }

    private static int clamp(int i, int size) {
        return Math.max(0, Math.min(size - 1, i));
    }

    /**
     * PIL's {@code Image.resize(..., BICUBIC)} (Pillow ≥ 4, {@code libImaging/Resample.c}): Keys kernel with
     * {@code a = −0.5} whose support widens by the scale factor when shrinking (antialiasing), weights normalized
     * and turned into 22-bit fixed point, each pass rounded and clamped to 8 bits.
     */
    static byte[] pilBicubic(byte[] rgb, int width, int height, int outWidth, int outHeight) {
        byte[] horizontal = rgb;
        if (outWidth != width) {
            horizontal = pilPass(rgb, width, height, outWidth, true);
        }
        if (outHeight != height) {
            return pilPass(horizontal, outWidth, height, outHeight, false);
        }
        return horizontal;
    }

    private static final int PRECISION_BITS = 32 - 8 - 2;

    private static byte[] pilPass(byte[] in, int width, int height, int outSize, boolean alongX) {
        int inSize = alongX ? width : height;
        double scale = (double) inSize / outSize;
        double filterScale = Math.max(scale, 1.0);
        double support = 2.0 * filterScale;
        int outWidth = alongX ? outSize : width;
        int outHeight = alongX ? height : outSize;
        byte[] out = new byte[outWidth * outHeight * 3];
        for (int o = 0; o < outSize; o++) {
            double center = (o + 0.5) * scale;
            int min = Math.max((int) (center - support + 0.5), 0);
            int count = Math.min((int) (center + support + 0.5), inSize) - min;
            double[] k = new double[count];
            double total = 0;
            for (int i = 0; i < count; i++) {
                k[i] = cubic((i + min - center + 0.5) / filterScale, -0.5);
                total += k[i];
            }
            int[] fixed = new int[count];
            for (int i = 0; i < count; i++) {
                double w = total != 0 ? k[i] / total : 0;
                fixed[i] = (int) (w < 0 ? w * (1 << PRECISION_BITS) - 0.5 : w * (1 << PRECISION_BITS) + 0.5);
            }
            int lines = alongX ? height : width;
            for (int line = 0; line < lines; line++) {
                for (int c = 0; c < 3; c++) {
                    long sum = 1L << (PRECISION_BITS - 1);
                    for (int i = 0; i < count; i++) {
                        int at = alongX ? (line * width + min + i) : ((min + i) * width + line);
                        sum += (long) (in[at * 3 + c] & 0xff) * fixed[i];
                    }
                    int value = (int) (sum >> PRECISION_BITS);
                    int at = alongX ? (line * outWidth + o) : (o * outWidth + line);
                    out[at * 3 + c] = (byte) Math.max(0, Math.min(255, value));
                }
            }
        }
        return out;
    }
}

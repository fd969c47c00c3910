package dev.vlflow.vision.preprocess;

/**
 * Plain-Java resizes of packed RGB bytes to test the OpenCV and HF paths against, and to measure how far they are
 * from PIL and PyTorch. All are separable: a horizontal pass, then a vertical one.
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

    /** How a fixed-point pass turns its weights into integers. */
    enum FixedPoint {
        /** Pillow ({@code libImaging/Resample.c}): 22 fractional bits in int32, whatever the weights. */
        PILLOW,
        /**
         * PyTorch's uint8 kernel ({@code UpSampleKernel.cpp}, {@code _compute_index_ranges_int16_weights}): int16,
         * at the largest precision (at most 22 bits) at which the axis's largest weight, doubled, still rounds below
         * 2<sup>15</sup>.
         */
        TORCH_INT16
    }

    /**
     * PIL's {@code Image.resize(..., BICUBIC)} (Pillow ≥ 4, {@code libImaging/Resample.c}): Keys kernel with
     * {@code a = −0.5} whose support widens by the scale factor when shrinking (antialiasing), weights normalized
     * and turned into 22-bit fixed point, each pass rounded and clamped to 8 bits.
     */
    static byte[] pilBicubic(byte[] rgb, int width, int height, int outWidth, int outHeight) {
        return fixedPointBicubic(rgb, width, height, outWidth, outHeight, FixedPoint.PILLOW);
    }

    /**
     * Pillow's two-pass fixed-point bicubic with the weights' integer form chosen by {@code rule}: with
     * {@link FixedPoint#TORCH_INT16} it is PyTorch's uint8 {@code _upsample_bicubic2d_aa} (what torchvision runs
     * for a uint8 tensor on the CPU), which takes the rest of its algorithm from Pillow.
     */
    static byte[] fixedPointBicubic(byte[] rgb, int width, int height, int outWidth, int outHeight,
                                    FixedPoint rule) {
        byte[] horizontal = rgb;
        if (outWidth != width) {
            horizontal = fixedPointPass(rgb, width, height, outWidth, true, rule);
        }
        if (outHeight != height) {
            return fixedPointPass(horizontal, outWidth, height, outHeight, false, rule);
        }
        return horizontal;
    }

    private static final int PRECISION_BITS = 32 - 8 - 2;

    private static byte[] fixedPointPass(byte[] in, int width, int height, int outSize, boolean alongX,
                                         FixedPoint rule) {
        int inSize = alongX ? width : height;
        double scale = (double) inSize / outSize;
        double filterScale = Math.max(scale, 1.0);
        double support = 2.0 * filterScale;
        int outWidth = alongX ? outSize : width;
        int outHeight = alongX ? height : outSize;
        int[] mins = new int[outSize];
        double[][] weights = new double[outSize][];
        double largest = 0;
        for (int o = 0; o < outSize; o++) {
            double center = (o + 0.5) * scale;
            int min = Math.max((int) (center - support + 0.5), 0);
            int count = Math.min((int) (center + support + 0.5), inSize) - min;
            double[] k = new double[count];
            double total = 0;
            for (int i = 0; i < count; i++) {
                // Pillow divides by the filter scale; PyTorch multiplies by its inverse (the last bit can differ)
                double at = i + min - center + 0.5;
                k[i] = cubic(rule == FixedPoint.PILLOW ? at / filterScale : at * (1.0 / filterScale), -0.5);
                total += k[i];
            }
            for (int i = 0; i < count; i++) {
                k[i] = total != 0 ? k[i] / total : 0;
                largest = Math.max(largest, k[i]);
            }
            mins[o] = min;
            weights[o] = k;
        }
        int bits = PRECISION_BITS;
        if (rule == FixedPoint.TORCH_INT16) {
            for (bits = 0; bits < 22 && (int) (0.5 + largest * (1 << (bits + 1))) < 1 << 15; bits++) {
                // the largest precision whose next one would overflow int16
            }
        }
        byte[] out = new byte[outWidth * outHeight * 3];
        for (int o = 0; o < outSize; o++) {
            double[] k = weights[o];
            int[] fixed = new int[k.length];
            for (int i = 0; i < k.length; i++) {
                double w = k[i] * (1 << bits);
                fixed[i] = (int) (w < 0 ? w - 0.5 : w + 0.5);
            }
            int lines = alongX ? height : width;
            for (int line = 0; line < lines; line++) {
                for (int c = 0; c < 3; c++) {
                    long sum = 1L << (bits - 1);
                    for (int i = 0; i < fixed.length; i++) {
                        int at = alongX ? (line * width + mins[o] + i) : ((mins[o] + i) * width + line);
                        sum += (long) (in[at * 3 + c] & 0xff) * fixed[i];
                    }
                    int value = (int) (sum >> bits);
                    int at = alongX ? (line * outWidth + o) : (o * outWidth + line);
                    out[at * 3 + c] = (byte) Math.max(0, Math.min(255, value));
                }
            }
        }
        return out;
    }

    /** Where the two passes of {@link #torchAntialiasedBicubic} keep their values in between. */
    enum Between {
        /** In float, rounded once at the end (half to even, {@code torch.round}): PyTorch on float tensors. */
        FLOAT,
        /**
         * Rounded (half up) and clamped to 0-255 after each pass: the algorithm of PyTorch's uint8 kernel (and
         * Pillow's), which torchvision runs on uint8 tensors on the CPU; here with exact weights.
         */
        UINT8
    }

    /**
     * torchvision's antialiased bicubic ({@code resize(..., BICUBIC, antialias=True)}, PyTorch's
     * {@code _upsample_bicubic2d_aa}) written from its definition, in double precision: per axis
     * {@code scale = in/out}, support {@code 2 · max(scale, 1)}, centre {@code scale · (o + 0.5)}, taps
     * {@code [trunc(c − support + 0.5), trunc(c + support + 0.5))} clipped to the image, weights Keys' cubic
     * ({@code a = −0.5}) at {@code (i − c + 0.5) / max(scale, 1)} normalized to sum 1; the width pass, then the
     * height pass (a side that does not change is not resampled), the values in between as {@code between} says.
     */
    static byte[] torchAntialiasedBicubic(byte[] rgb, int width, int height, int outWidth, int outHeight,
                                          Between between) {
        double[] src = new double[rgb.length];
        for (int i = 0; i < rgb.length; i++) {
            src[i] = rgb[i] & 0xff;
        }
        double[] wide = src;
        if (outWidth != width) {
            wide = new double[height * outWidth * 3];
            for (int o = 0; o < outWidth; o++) {
                double[] w = new double[width];
                int[] taps = aaWeights(width, outWidth, o, w);
                for (int y = 0; y < height; y++) {
                    for (int c = 0; c < 3; c++) {
                        double sum = 0;
                        for (int i = taps[0]; i < taps[1]; i++) {
                            sum += w[i] * src[(y * width + i) * 3 + c];
                        }
                        wide[(y * outWidth + o) * 3 + c] = between == Between.UINT8 ? roundHalfUp(sum) : sum;
                    }
                }
            }
        }
        double[] tall = wide;
        if (outHeight != height) {
            tall = new double[outHeight * outWidth * 3];
            for (int o = 0; o < outHeight; o++) {
                double[] w = new double[height];
                int[] taps = aaWeights(height, outHeight, o, w);
                for (int x = 0; x < outWidth; x++) {
                    for (int c = 0; c < 3; c++) {
                        double sum = 0;
                        for (int i = taps[0]; i < taps[1]; i++) {
                            sum += w[i] * wide[(i * outWidth + x) * 3 + c];
                        }
                        tall[(o * outWidth + x) * 3 + c] = sum;
                    }
                }
            }
        }
        byte[] out = new byte[tall.length];
        for (int i = 0; i < tall.length; i++) {
            out[i] = (byte) (between == Between.UINT8 ? roundHalfUp(tall[i])
                    : Math.max(0, Math.min(255, Math.rint(tall[i]))));
        }
        return out;
    }

    private static double roundHalfUp(double v) {
        return Math.max(0, Math.min(255, Math.floor(v + 0.5)));
    }

    /** Fills {@code w[in]} with output {@code o}'s normalized weights; returns its taps {@code [first, end)}. */
    private static int[] aaWeights(int in, int out, int o, double[] w) {
        double scale = (double) in / out;
        double filterScale = Math.max(scale, 1.0);
        double support = 2.0 * filterScale;
        double center = scale * (o + 0.5);
        int first = Math.max((int) (center - support + 0.5), 0);
        int end = Math.min((int) (center + support + 0.5), in);
        double total = 0;
        for (int i = first; i < end; i++) {
            w[i] = cubic((i - center + 0.5) / filterScale, -0.5);
            total += w[i];
        }
        for (int i = first; i < end; i++) {
            w[i] /= total;
        }
        return new int[] {first, end};
    }
}

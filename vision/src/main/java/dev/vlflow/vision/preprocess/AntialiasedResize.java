package dev.vlflow.vision.preprocess;

import java.util.Objects;

/**
 * torchvision's antialiased resize of a uint8 image on the CPU, as Hugging Face's video processors call it
 * ({@code torchvision.transforms.v2.functional.resize(video, size, BICUBIC, antialias=True)} on the uint8 frames),
 * ported from PyTorch's {@code _upsample_bicubic2d_aa} / {@code _upsample_bilinear2d_aa} uint8 kernel
 * ({@code aten/src/ATen/native/cpu/UpSampleKernel.cpp}: {@code _compute_indices_min_size_weights_aa},
 * {@code _compute_index_ranges_int16_weights}, {@code basic_loop_aa_horizontal/vertical<uint8_t>}; the AVX2 kernel
 * of {@code UpSampleKernelAVXAntialias.h} does the same integer arithmetic). For BICUBIC torchvision hands uint8
 * tensors to this kernel on every CPU; the computation, per axis with {@code scale = in / out}:
 * <ul>
 *   <li>support {@code = taps/2 · max(scale, 1)} ({@code taps} 4 for bicubic, 2 for bilinear): shrinking widens
 *       the filter by the scale (the antialiasing), enlarging keeps it;</li>
 *   <li>output {@code i} centres on {@code scale · (i + 0.5)}, reads inputs {@code [xmin, xmin + n)} with
 *       {@code xmin = max(trunc(center − support + 0.5), 0)}, {@code n = min(trunc(center + support + 0.5), in)
 *       − xmin}, weights {@code filter((j + xmin − center + 0.5) / max(scale, 1))} normalized to sum 1, in
 *       double; the filter is Keys' cubic with {@code a = −0.5} (PIL's; the triangle for bilinear);</li>
 *   <li>the weights become int16 at the largest precision {@code p ≤ 22} at which the axis's largest weight still
 *       rounds below 2<sup>15</sup> ({@code round-half-away(w · 2^p)});</li>
 *   <li>each output is {@code clamp((2^(p−1) + Σ pixel · w) >> p, 0, 255)}: rounded once per pass.</li>
 * </ul>
 * The width pass runs first into a uint8 image, then the height pass; a pass whose side does not change is skipped.
 * This is PIL's algorithm except for the weights' precision (PIL keeps 22 bits in int32), so it may differ from PIL
 * and from the float computation by one level.
 *
 * <pre>
 *   in:  [height, width, 3] uint8, packed RGB
 *   out: [outHeight, outWidth, 3] uint8, packed RGB
 * </pre>
 *
 * An instance is the immutable plan for one pair of sizes (the weights of both axes); thread-safe.
 */
public final class AntialiasedResize {

    /** The filters torchvision antialiases. */
    public enum Filter {
        /** Keys' cubic, {@code a = −0.5}, 4 taps before widening. */
        BICUBIC(4),
        /** The triangle, 2 taps before widening. */
        BILINEAR(2);

        private final int taps;

        Filter(int taps) {
            this.taps = taps;
        }

        double weight(double x) {
            x = Math.abs(x);
            if (this == BILINEAR) {
                return x < 1.0 ? 1.0 - x : 0.0;
            }
            final double a = -0.5;
            if (x < 1.0) {
                return ((a + 2) * x - (a + 3)) * x * x + 1;   // cubic_convolution1
            }
            if (x < 2.0) {
                return ((a * x - 5 * a) * x + 8 * a) * x - 4 * a;   // cubic_convolution2
            }
            return 0.0;
        }
    }

    /**
     * One axis's resampling: output {@code i} reads inputs {@code start[i] .. start[i] + count[i] − 1} with weights
     * {@code weights[i · taps ..]} (int16 values at {@code precision} bits).
     *
     * @param taps      weights stored per output (unused ones are zero)
     * @param start     [outSize] first input index
     * @param count     [outSize] inputs read
     * @param weights   [outSize, taps] fixed-point weights
     * @param precision fractional bits of the weights
     */
    record Axis(int inSize, int outSize, int taps, int[] start, int[] count, int[] weights, int precision) {

        static Axis of(Filter filter, int in, int out) {
            double scale = (double) in / out;
            double support = scale >= 1.0 ? filter.taps * 0.5 * scale : filter.taps * 0.5;
            int taps = (int) Math.ceil(support) * 2 + 1;
            double invScale = scale >= 1.0 ? 1.0 / scale : 1.0;
            int[] start = new int[out];
            int[] count = new int[out];
            double[] real = new double[out * taps];
            double maxWeight = 0;
            for (int i = 0; i < out; i++) {
                double center = scale * (i + 0.5);
                long xmin = Math.max((long) (center - support + 0.5), 0L);
                long xsize = Math.min((long) (center + support + 0.5), in) - xmin;
                xsize = Math.max(0, Math.min(xsize, taps));
                double total = 0;
                for (int j = 0; j < xsize; j++) {
                    double w = filter.weight((j + xmin - center + 0.5) * invScale);
                    real[i * taps + j] = w;
                    total += w;
                }
                if (total != 0.0) {
                    for (int j = 0; j < xsize; j++) {
                        real[i * taps + j] /= total;
                        maxWeight = Math.max(maxWeight, real[i * taps + j]);
                    }
                }
                start[i] = (int) xmin;
                count[i] = (int) xsize;
            }
            int precision;
            for (precision = 0; precision < 22; precision++) {
                int next = (int) (0.5 + maxWeight * (1 << (precision + 1)));
                if (next >= 1 << 15) {
                    break;
                }
            }
            int[] weights = new int[out * taps];
            for (int k = 0; k < weights.length; k++) {
                double v = real[k] * (1 << precision);
                weights[k] = v < 0 ? (int) (-0.5 + v) : (int) (0.5 + v);
            }
            return new Axis(in, out, taps, start, count, weights, precision);
        }
    }

    private final int width;
    private final int height;
    private final int outWidth;
    private final int outHeight;
    private final Axis x;   // null when the width does not change
    private final Axis y;   // null when the height does not change

    private AntialiasedResize(Filter filter, int width, int height, int outWidth, int outHeight) {
        this.width = width;
        this.height = height;
        this.outWidth = outWidth;
        this.outHeight = outHeight;
        this.x = outWidth != width ? Axis.of(filter, width, outWidth) : null;
        this.y = outHeight != height ? Axis.of(filter, height, outHeight) : null;
    }

    /**
     * The plan for resizing {@code width × height} images to {@code outWidth × outHeight}.
     *
     * @throws IllegalArgumentException a side that is not positive
     */
    public static AntialiasedResize of(Filter filter, int width, int height, int outWidth, int outHeight) {
        Objects.requireNonNull(filter, "filter");
        if (width <= 0 || height <= 0 || outWidth <= 0 || outHeight <= 0) {
            throw new IllegalArgumentException("sides must be positive: " + width + "x" + height + " -> "
                    + outWidth + "x" + outHeight);
        }
        return new AntialiasedResize(filter, width, height, outWidth, outHeight);
    }

    /** Whether this plan resizes images of this size. */
    public boolean fits(int sourceWidth, int sourceHeight, int targetWidth, int targetHeight) {
        return width == sourceWidth && height == sourceHeight && outWidth == targetWidth && outHeight == targetHeight;
    }

    /**
     * Resizes one image.
     *
     * @param rgb {@code [height, width, 3]} bytes
     * @return {@code [outHeight, outWidth, 3]} bytes
     */
    public byte[] apply(byte[] rgb) {
        if (rgb.length != width * height * 3) {
            throw new IllegalArgumentException("expected " + width + "x" + height + "x3 bytes, got " + rgb.length);
        }
        byte[] wide = x == null ? rgb : horizontal(rgb);
        return y == null ? (wide == rgb ? rgb.clone() : wide) : vertical(wide);
    }

    /** The width pass: {@code [height, width, 3] → [height, outWidth, 3]}. */
    private byte[] horizontal(byte[] in) {
        byte[] out = new byte[height * outWidth * 3];
        int taps = x.taps();
        int shift = x.precision();
        int half = 1 << (shift - 1);
        int[] start = x.start();
        int[] count = x.count();
        int[] w = x.weights();
        for (int row = 0; row < height; row++) {
            int inRow = row * width * 3;
            int outRow = row * outWidth * 3;
            for (int o = 0; o < outWidth; o++) {
                int r = half;
                int g = half;
                int b = half;
                int at = inRow + start[o] * 3;
                int k0 = o * taps;
                for (int k = 0, n = count[o]; k < n; k++, at += 3) {
                    int wk = w[k0 + k];
                    r += (in[at] & 0xff) * wk;
                    g += (in[at + 1] & 0xff) * wk;
                    b += (in[at + 2] & 0xff) * wk;
                }
                int q = outRow + o * 3;
                out[q] = clamp8(r >> shift);
                out[q + 1] = clamp8(g >> shift);
                out[q + 2] = clamp8(b >> shift);
            }
        }
        return out;
    }

    /** The height pass: {@code [height, outWidth, 3] → [outHeight, outWidth, 3]}. */
    private byte[] vertical(byte[] in) {
        int line = outWidth * 3;
        byte[] out = new byte[outHeight * line];
        int[] acc = new int[line];
        int taps = y.taps();
        int shift = y.precision();
        int half = 1 << (shift - 1);
        int[] start = y.start();
        int[] count = y.count();
        int[] w = y.weights();
        for (int o = 0; o < outHeight; o++) {
            java.util.Arrays.fill(acc, half);
            int k0 = o * taps;
            for (int k = 0, n = count[o]; k < n; k++) {
                int wk = w[k0 + k];
                int at = (start[o] + k) * line;
                for (int i = 0; i < line; i++) {
                    acc[i] += (in[at + i] & 0xff) * wk;
                }
            }
            int q = o * line;
            for (int i = 0; i < line; i++) {
                out[q + i] = clamp8(acc[i] >> shift);
            }
        }
        return out;
    }

    private static byte clamp8(int v) {
        return (byte) (v < 0 ? 0 : Math.min(v, 255));
    }
}

package dev.vlflow.engine.reference;

import java.nio.FloatBuffer;

/**
 * Plain scalar building blocks of the reference forward pass: linear layers, normalisations and activations.
 * Activations are float32 arrays in row-major order; every reduction (dot product, mean, variance) accumulates in
 * double, so the reference is at least as accurate as any float32 engine it checks.
 */
public final class ReferenceMath {

    private static final double TWO_OVER_SQRT_PI = 2.0 / Math.sqrt(Math.PI);
    private static final double SQRT_TWO_OVER_PI = Math.sqrt(2.0 / Math.PI);

    private ReferenceMath() {
    }

    /**
     * {@code y = x W^T} with W in the checkpoint's {@code [out, in]} layout.
     *
     * @param x      [rows, in]
     * @param weight [out, in], read with absolute gets (a memory-mapped view is fine)
     * @return [rows, out]
     */
    public static float[] linear(float[] x, int rows, int in, FloatBuffer weight, int out) {
        return linear(x, rows, in, weight, null, out);
    }

    /**
     * {@code y = x W^T + b}.
     *
     * @param x      [rows, in]
     * @param weight [out, in]
     * @param bias   [out]
     * @return [rows, out]
     */
    public static float[] linearWithBias(float[] x, int rows, int in, FloatBuffer weight, FloatBuffer bias, int out) {
        return linear(x, rows, in, weight, bias, out);
    }

    private static float[] linear(float[] x, int rows, int in, FloatBuffer weight, FloatBuffer bias, int out) {
        checkLength("linear input", x, (long) rows * in);
        if (weight.limit() != (long) out * in) {
            throw new IllegalArgumentException("linear weight has " + weight.limit() + " elements, expected "
                    + out + "x" + in);
        }
        float[] y = new float[rows * out];
        float[] w = new float[in];
        for (int o = 0; o < out; o++) {
            weight.get(o * in, w);                       // one weight row: [in]
            double b = bias == null ? 0.0 : bias.get(o);
            for (int r = 0; r < rows; r++) {
                double acc = b;
                int base = r * in;
                for (int i = 0; i < in; i++) {
                    acc += (double) x[base + i] * w[i];
                }
                y[r * out + o] = (float) acc;
            }
        }
        return y;
    }

    /**
     * Qwen2 RMSNorm per row: {@code w * x / sqrt(mean(x^2) + eps)}.
     *
     * @param x      [rows, width]
     * @param weight [width]
     * @return [rows, width]
     */
    public static float[] rmsNorm(float[] x, int rows, int width, FloatBuffer weight, double eps) {
        checkLength("rmsNorm input", x, (long) rows * width);
        float[] y = new float[x.length];
        for (int r = 0; r < rows; r++) {
            int base = r * width;
            double sumSq = 0;
            for (int i = 0; i < width; i++) {
                sumSq += (double) x[base + i] * x[base + i];
            }
            double inv = 1.0 / Math.sqrt(sumSq / width + eps);
            for (int i = 0; i < width; i++) {
                y[base + i] = (float) (weight.get(i) * (x[base + i] * inv));
            }
        }
        return y;
    }

    /**
     * LayerNorm per row with the biased variance: {@code (x - mean) / sqrt(var + eps) * w + b}.
     *
     * @param x      [rows, width]
     * @param weight [width]
     * @param bias   [width]
     * @return [rows, width]
     */
    public static float[] layerNorm(float[] x, int rows, int width, FloatBuffer weight, FloatBuffer bias, double eps) {
        checkLength("layerNorm input", x, (long) rows * width);
        float[] y = new float[x.length];
        for (int r = 0; r < rows; r++) {
            int base = r * width;
            double mean = 0;
            for (int i = 0; i < width; i++) {
                mean += x[base + i];
            }
            mean /= width;
            double var = 0;
            for (int i = 0; i < width; i++) {
                double d = x[base + i] - mean;
                var += d * d;
            }
            var /= width;
            double inv = 1.0 / Math.sqrt(var + eps);
            for (int i = 0; i < width; i++) {
                y[base + i] = (float) ((x[base + i] - mean) * inv * weight.get(i) + bias.get(i));
            }
        }
        return y;
    }

    /** Element-wise sum {@code a + b} of two equally long arrays. */
    public static float[] add(float[] a, float[] b) {
        checkLength("add operand", b, a.length);
        float[] y = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            y[i] = a[i] + b[i];
        }
        return y;
    }

    /**
     * The error function to about 2e-15 absolute. For |x| &lt; 3 it sums the everywhere-positive series
     * {@code erf(x) = 2/sqrt(pi) * exp(-x^2) * sum_n 2^n x^(2n+1) / (1*3*5*...*(2n+1))} (Abramowitz-Stegun 7.1.6),
     * which has no cancellation; for 3 &lt;= |x| &lt; 6 it is {@code 1 - erfc(x)} with erfc from the continued fraction
     * {@code erfc(x) = exp(-x^2)/sqrt(pi) * 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + ...)))))} (A-S 7.1.14);
     * beyond, {@code |erf(x)| = 1} to within 2e-17.
     */
    public static double erf(double x) {
        if (Double.isNaN(x)) {
            return Double.NaN;
        }
        double ax = Math.abs(x);
        if (ax >= 6.0) {
            return Math.copySign(1.0, x);
        }
        double x2 = ax * ax;
        if (ax >= 3.0) {
            double f = ax;                                  // the continued fraction, evaluated from its tail
            for (int n = 120; n >= 1; n--) {
                f = ax + (n / 2.0) / f;
            }
            double erfc = Math.exp(-x2) / Math.sqrt(Math.PI) / f;
            return Math.copySign(1.0 - erfc, x);
        }
        double term = ax;     // n = 0: x / 1
        double sum = ax;
        for (int n = 1; n < 200; n++) {
            term *= 2.0 * x2 / (2 * n + 1);
            sum += term;
            if (term < 1e-17 * sum) {
                break;
            }
        }
        return Math.copySign(TWO_OVER_SQRT_PI * Math.exp(-x2) * sum, x);
    }

    /** Exact GELU ({@code gelu} in Hugging Face, PyTorch's default): {@code x/2 * (1 + erf(x / sqrt 2))}. */
    public static double geluErf(double x) {
        return 0.5 * x * (1.0 + erf(x / Math.sqrt(2.0)));
    }

    /** Tanh-approximated GELU ({@code gelu_pytorch_tanh}): {@code x/2 * (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))}. */
    public static double geluTanh(double x) {
        return 0.5 * x * (1.0 + Math.tanh(SQRT_TWO_OVER_PI * (x + 0.044715 * x * x * x)));
    }

    /** SiLU / swish: {@code x * sigmoid(x)}. */
    public static double silu(double x) {
        return x / (1.0 + Math.exp(-x));
    }

    /** Applies a Hugging Face activation by its config name, element-wise, into a new array. */
    public static float[] activation(String name, float[] x) {
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = (float) activation(name, x[i]);
        }
        return y;
    }

    /** One value of the Hugging Face activation called {@code name}. */
    public static double activation(String name, double x) {
        return switch (name) {
            case "gelu" -> geluErf(x);
            case "gelu_pytorch_tanh", "gelu_new" -> geluTanh(x);
            case "silu", "swish" -> silu(x);
            default -> throw new IllegalArgumentException("reference: unsupported activation '" + name + "'");
        };
    }

    /**
     * Numerically stable softmax of {@code scores[0..count)}, in double.
     *
     * @return [count] probabilities
     */
    public static double[] softmax(double[] scores, int count) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < count; i++) {
            max = Math.max(max, scores[i]);
        }
        double[] p = new double[count];
        double sum = 0;
        for (int i = 0; i < count; i++) {
            p[i] = Math.exp(scores[i] - max);
            sum += p[i];
        }
        for (int i = 0; i < count; i++) {
            p[i] /= sum;
        }
        return p;
    }

    static void checkLength(String what, float[] a, long expected) {
        if (a.length != expected) {
            throw new IllegalArgumentException(what + " has " + a.length + " elements, expected " + expected);
        }
    }
}

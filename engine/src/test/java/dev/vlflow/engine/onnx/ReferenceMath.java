package dev.vlflow.engine.onnx;

import dev.vlflow.engine.model.ModelConfig;
import dev.vlflow.engine.model.TextConfig;
import dev.vlflow.engine.model.VisionConfig;
import dev.vlflow.engine.testing.InMemoryWeights;

/**
 * The graphs' math written plainly in Java with double accumulation, following the Hugging Face modules
 * ({@code Qwen2DecoderLayer}, {@code SiglipEncoderLayer}, {@code LlavaOnevisionMultiModalProjector},
 * {@code apply_pooling}) — the reference the ONNX graphs are checked against.
 */
final class ReferenceMath {

    private final InMemoryWeights w;
    private final ModelConfig config;

    ReferenceMath(InMemoryWeights weights) {
        this.w = weights;
        this.config = weights.config();
    }

    // ---- decoder ----

    /** Returns {q, k, v}. hidden [T, H]. */
    float[][] preAttention(int layer, float[] hidden, int tokens) {
        TextConfig t = config.text();
        String p = WeightNames.decoderLayer(layer);
        float[] x = rmsNorm(hidden, tokens, w.array(p + "input_layernorm.weight"), t.rmsNormEps());
        return new float[][] {
            linear(x, tokens, p + "self_attn.q_proj.", true),
            linear(x, tokens, p + "self_attn.k_proj.", true),
            linear(x, tokens, p + "self_attn.v_proj.", true)};
    }

    float[] postAttention(int layer, float[] residual, float[] attention, int tokens) {
        TextConfig t = config.text();
        String p = WeightNames.decoderLayer(layer);
        float[] h = add(residual, linear(attention, tokens, p + "self_attn.o_proj.", false));
        float[] z = rmsNorm(h, tokens, w.array(p + "post_attention_layernorm.weight"), t.rmsNormEps());
        float[] gate = linear(z, tokens, p + "mlp.gate_proj.", false);
        float[] up = linear(z, tokens, p + "mlp.up_proj.", false);
        float[] product = new float[gate.length];
        for (int i = 0; i < gate.length; i++) {
            double g = gate[i];
            product[i] = (float) (g / (1 + Math.exp(-g)) * up[i]);
        }
        return add(h, linear(product, tokens, p + "mlp.down_proj.", false));
    }

    float[] logits(float[] hidden, int tokens) {
        float[] x = rmsNorm(hidden, tokens, w.array(WeightNames.FINAL_NORM), config.text().rmsNormEps());
        return linear(x, tokens, "lm_head.", false);
    }

    // ---- vision ----

    /** pixels [F, C, S, S] -> [F, P, Dv]. */
    float[] visionFeatures(float[] pixels, int frames) {
        VisionConfig v = config.vision();
        int d = v.hiddenSize();
        int s = v.patchesPerSide();
        int p = v.numPatches();
        int ps = v.patchSize();
        int c = v.numChannels();
        int img = v.imageSize();
        float[] kernel = w.array(WeightNames.PATCH_EMBEDDING + "weight"); // [d, c, ps, ps]
        float[] bias = w.array(WeightNames.PATCH_EMBEDDING + "bias");
        float[] pos = w.array(WeightNames.POSITION_EMBEDDING); // [p, d]
        float[] x = new float[frames * p * d];
        for (int f = 0; f < frames; f++) {
            for (int py = 0; py < s; py++) {
                for (int px = 0; px < s; px++) {
                    int token = py * s + px;
                    for (int o = 0; o < d; o++) {
                        double acc = bias[o];
                        for (int ch = 0; ch < c; ch++) {
                            for (int ky = 0; ky < ps; ky++) {
                                for (int kx = 0; kx < ps; kx++) {
                                    acc += (double) pixels[((f * c + ch) * img + py * ps + ky) * img + px * ps + kx]
                                            * kernel[((o * c + ch) * ps + ky) * ps + kx];
                                }
                            }
                        }
                        x[(f * p + token) * d + o] = (float) (acc + pos[token * d + o]);
                    }
                }
            }
        }
        int rows = frames * p;
        for (int layer = 0; layer < v.numHiddenLayers(); layer++) {
            String pre = WeightNames.visionLayer(layer);
            float[] h = layerNorm(x, rows, pre + "layer_norm1.", v.layerNormEps());
            float[] q = linear(h, rows, pre + "self_attn.q_proj.", true);
            float[] k = linear(h, rows, pre + "self_attn.k_proj.", true);
            float[] val = linear(h, rows, pre + "self_attn.v_proj.", true);
            float[] ctx = attention(q, k, val, frames, p, v.numAttentionHeads(), v.headDim());
            x = add(x, linear(ctx, rows, pre + "self_attn.out_proj.", true));
            float[] h2 = layerNorm(x, rows, pre + "layer_norm2.", v.layerNormEps());
            float[] up = linear(h2, rows, pre + "mlp.fc1.", true);
            for (int i = 0; i < up.length; i++) {
                double u = up[i];
                up[i] = (float) (0.5 * u * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (u + 0.044715 * u * u * u))));
            }
            x = add(x, linear(up, rows, pre + "mlp.fc2.", true));
        }
        return x;
    }

    /** features [F*P, Dv] -> [F*pooled², H]. */
    float[] projectAndPool(float[] features, int frames) {
        VisionConfig v = config.vision();
        int rows = frames * v.numPatches();
        float[] l1 = linear(features, rows, WeightNames.PROJECTOR + "linear_1.", true);
        for (int i = 0; i < l1.length; i++) {
            l1[i] = (float) geluErf(l1[i]);
        }
        float[] l2 = linear(l1, rows, WeightNames.PROJECTOR + "linear_2.", true);
        return bilinearPoolNhwc(l2, frames, v.patchesPerSide(), v.pooledSide(), config.text().hiddenSize());
    }

    // ---- primitives ----

    /** [F*side*side, C] rows (row-major grid per frame) -> [F*out*out, C], PyTorch bilinear, align_corners=False. */
    static float[] bilinearPoolNhwc(float[] x, int frames, int side, int out, int channels) {
        float[] y = new float[frames * out * out * channels];
        float[] plane = new float[side * side];
        for (int f = 0; f < frames; f++) {
            for (int c = 0; c < channels; c++) {
                for (int i = 0; i < side * side; i++) {
                    plane[i] = x[(f * side * side + i) * channels + c];
                }
                float[] r = bilinear(plane, side, side, out, out);
                for (int i = 0; i < out * out; i++) {
                    y[(f * out * out + i) * channels + c] = r[i];
                }
            }
        }
        return y;
    }

    /**
     * {@code torch.nn.functional.interpolate(mode="bilinear", align_corners=False)} of one plane, as in ATen's
     * {@code upsample_bilinear2d}: {@code src = (dst + 0.5) * in/out - 0.5}, clamped at 0; neighbour clamped at
     * the last index.
     */
    static float[] bilinear(float[] in, int inH, int inW, int outH, int outW) {
        float[] out = new float[outH * outW];
        double scaleH = (double) inH / outH;
        double scaleW = (double) inW / outW;
        for (int oy = 0; oy < outH; oy++) {
            double sy = Math.max(0, (oy + 0.5) * scaleH - 0.5);
            int y0 = (int) sy;
            int y1 = y0 < inH - 1 ? y0 + 1 : y0;
            double ly = sy - y0;
            for (int ox = 0; ox < outW; ox++) {
                double sx = Math.max(0, (ox + 0.5) * scaleW - 0.5);
                int x0 = (int) sx;
                int x1 = x0 < inW - 1 ? x0 + 1 : x0;
                double lx = sx - x0;
                double v = (1 - ly) * ((1 - lx) * in[y0 * inW + x0] + lx * in[y0 * inW + x1])
                        + ly * ((1 - lx) * in[y1 * inW + x0] + lx * in[y1 * inW + x1]);
                out[oy * outW + ox] = (float) v;
            }
        }
        return out;
    }

    static double geluErf(double x) {
        return 0.5 * x * (1 + erf(x / Math.sqrt(2)));
    }

    /** erf to ~1e-15 by its Taylor series (|x| < 3) or the continued fraction of erfc (beyond). */
    static double erf(double x) {
        double ax = Math.abs(x);
        double r;
        if (ax < 3) {
            double term = ax;
            double sum = ax;
            for (int n = 1; n < 200 && Math.abs(term) > 1e-17; n++) {
                term *= -ax * ax / n;
                sum += term / (2 * n + 1);
            }
            r = 2 / Math.sqrt(Math.PI) * sum;
        } else {
            double f = 0;
            for (int n = 60; n >= 1; n--) {
                f = n / 2.0 / (ax + f);
            }
            r = 1 - Math.exp(-ax * ax) / Math.sqrt(Math.PI) / (ax + f);
        }
        return x < 0 ? -r : r;
    }

    /** x [rows, in] · W[out, in]ᵀ (+ b). */
    float[] linear(float[] x, int rows, String prefix, boolean bias) {
        float[] weight = w.array(prefix + "weight");
        float[] b = bias ? w.array(prefix + "bias") : null;
        int in = x.length / rows;
        int out = weight.length / in;
        float[] y = new float[rows * out];
        for (int r = 0; r < rows; r++) {
            for (int o = 0; o < out; o++) {
                double acc = b == null ? 0 : b[o];
                for (int i = 0; i < in; i++) {
                    acc += (double) x[r * in + i] * weight[o * in + i];
                }
                y[r * out + o] = (float) acc;
            }
        }
        return y;
    }

    static float[] rmsNorm(float[] x, int rows, float[] weight, double eps) {
        int d = x.length / rows;
        float[] y = new float[x.length];
        for (int r = 0; r < rows; r++) {
            double ss = 0;
            for (int i = 0; i < d; i++) {
                ss += (double) x[r * d + i] * x[r * d + i];
            }
            double inv = 1 / Math.sqrt(ss / d + eps);
            for (int i = 0; i < d; i++) {
                y[r * d + i] = (float) (weight[i] * x[r * d + i] * inv);
            }
        }
        return y;
    }

    float[] layerNorm(float[] x, int rows, String prefix, double eps) {
        float[] gamma = w.array(prefix + "weight");
        float[] beta = w.array(prefix + "bias");
        int d = x.length / rows;
        float[] y = new float[x.length];
        for (int r = 0; r < rows; r++) {
            double mean = 0;
            for (int i = 0; i < d; i++) {
                mean += x[r * d + i];
            }
            mean /= d;
            double var = 0;
            for (int i = 0; i < d; i++) {
                double c = x[r * d + i] - mean;
                var += c * c;
            }
            double inv = 1 / Math.sqrt(var / d + eps);
            for (int i = 0; i < d; i++) {
                y[r * d + i] = (float) ((x[r * d + i] - mean) * inv * gamma[i] + beta[i]);
            }
        }
        return y;
    }

    /** Bidirectional attention within each frame; q, k, v [F*P, heads*hd]. */
    static float[] attention(float[] q, float[] k, float[] v, int frames, int p, int heads, int hd) {
        int width = heads * hd;
        float[] out = new float[q.length];
        double scale = 1 / Math.sqrt(hd);
        double[] scores = new double[p];
        for (int f = 0; f < frames; f++) {
            for (int h = 0; h < heads; h++) {
                for (int i = 0; i < p; i++) {
                    int qi = (f * p + i) * width + h * hd;
                    double max = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j < p; j++) {
                        int kj = (f * p + j) * width + h * hd;
                        double dot = 0;
                        for (int e = 0; e < hd; e++) {
                            dot += (double) q[qi + e] * k[kj + e];
                        }
                        scores[j] = dot * scale;
                        max = Math.max(max, scores[j]);
                    }
                    double sum = 0;
                    for (int j = 0; j < p; j++) {
                        scores[j] = Math.exp(scores[j] - max);
                        sum += scores[j];
                    }
                    for (int e = 0; e < hd; e++) {
                        double acc = 0;
                        for (int j = 0; j < p; j++) {
                            acc += scores[j] * v[(f * p + j) * width + h * hd + e];
                        }
                        out[qi + e] = (float) (acc / sum);
                    }
                }
            }
        }
        return out;
    }

    static float[] add(float[] a, float[] b) {
        float[] y = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            y[i] = a[i] + b[i];
        }
        return y;
    }
}

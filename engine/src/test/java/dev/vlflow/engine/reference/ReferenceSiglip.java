package dev.vlflow.engine.reference;

import dev.vlflow.engine.model.VisionConfig;
import dev.vlflow.engine.model.Weights;

import java.nio.FloatBuffer;

/**
 * The SigLIP vision tower as LLaVA-OneVision uses it: a strided convolution turns each frame into
 * {@code patchesPerSide^2} patch tokens, learned position embeddings are added, then pre-LN encoder layers run;
 * the features are the last layer's output, without {@code post_layernorm} ({@code vision_feature_layer = -1},
 * strategy {@code full}). Frames are independent.
 */
public final class ReferenceSiglip {

    private static final String PREFIX = "model.vision_tower.vision_model.";

    private final VisionConfig config;
    private final ShapeCheckedTensors tensors;

    public ReferenceSiglip(Weights weights) {
        this.config = weights.config().vision();
        this.tensors = new ShapeCheckedTensors(weights);
    }

    /**
     * Vision features of every frame.
     *
     * @param pixels [frames, numChannels, imageSize, imageSize], normalised pixel values
     * @return [frames, numPatches, visionHidden]
     */
    public float[] features(float[] pixels, int frames) {
        int frameSize = config.numChannels() * config.imageSize() * config.imageSize();
        ReferenceMath.checkLength("pixels [" + frames + ", " + config.numChannels() + ", " + config.imageSize() + ", "
                + config.imageSize() + "]", pixels, (long) frames * frameSize);
        int frameOut = config.numPatches() * config.hiddenSize();
        float[] out = new float[frames * frameOut];
        for (int f = 0; f < frames; f++) {
            float[] frame = new float[frameSize];
            System.arraycopy(pixels, f * frameSize, frame, 0, frameSize);
            System.arraycopy(frameFeatures(frame), 0, out, f * frameOut, frameOut);
        }
        return out;
    }

    /**
     * @param frame [numChannels, imageSize, imageSize]
     * @return [numPatches, visionHidden]
     */
    public float[] frameFeatures(float[] frame) {
        float[] x = embeddings(frame);
        for (int layer = 0; layer < config.numHiddenLayers(); layer++) {
            x = encoderLayer(x, layer);
        }
        return x;
    }

    /**
     * Patch embedding (a {@code patchSize x patchSize} convolution with stride {@code patchSize}, written as
     * explicit loops) plus the position embedding. Patch index {@code py * patchesPerSide + px}.
     *
     * @param frame [numChannels, imageSize, imageSize]
     * @return [numPatches, visionHidden]
     */
    public float[] embeddings(float[] frame) {
        int hidden = config.hiddenSize();
        int channels = config.numChannels();
        int patch = config.patchSize();
        int side = config.patchesPerSide();
        int image = config.imageSize();
        ReferenceMath.checkLength("frame", frame, (long) channels * image * image);
        String e = PREFIX + "embeddings.";
        FloatBuffer conv = tensors.get(e + "patch_embedding.weight", hidden, channels, patch, patch);
        FloatBuffer convBias = tensors.get(e + "patch_embedding.bias", hidden);
        FloatBuffer position = tensors.get(e + "position_embedding.weight", config.numPatches(), hidden);
        float[] out = new float[config.numPatches() * hidden];
        for (int py = 0; py < side; py++) {
            for (int px = 0; px < side; px++) {
                int p = py * side + px;
                for (int o = 0; o < hidden; o++) {
                    double acc = convBias.get(o);
                    for (int c = 0; c < channels; c++) {
                        for (int dy = 0; dy < patch; dy++) {
                            for (int dx = 0; dx < patch; dx++) {
                                float w = conv.get(((o * channels + c) * patch + dy) * patch + dx);
                                float v = frame[(c * image + py * patch + dy) * image + px * patch + dx];
                                acc += (double) w * v;
                            }
                        }
                    }
                    out[p * hidden + o] = (float) (acc + position.get(p * hidden + o));
                }
            }
        }
        return out;
    }

    /**
     * One pre-LN encoder layer: {@code h = x + attn(ln1(x))}, {@code y = h + fc2(act(fc1(ln2(h))))}.
     *
     * @param x [numPatches, visionHidden]
     * @return [numPatches, visionHidden]
     */
    public float[] encoderLayer(float[] x, int layer) {
        int n = config.numPatches();
        int hidden = config.hiddenSize();
        int inter = config.intermediateSize();
        double eps = config.layerNormEps();
        String p = PREFIX + "encoder.layers." + layer + ".";

        float[] normed = ReferenceMath.layerNorm(x, n, hidden, tensors.get(p + "layer_norm1.weight", hidden),
                tensors.get(p + "layer_norm1.bias", hidden), eps);
        float[] q = projection(normed, n, p + "self_attn.q_proj", hidden, hidden);
        float[] k = projection(normed, n, p + "self_attn.k_proj", hidden, hidden);
        float[] v = projection(normed, n, p + "self_attn.v_proj", hidden, hidden);
        float[] attn = ReferenceAttention.bidirectional(q, k, v, n, config.numAttentionHeads(), config.headDim());
        float[] h = ReferenceMath.add(x, projection(attn, n, p + "self_attn.out_proj", hidden, hidden));

        float[] normed2 = ReferenceMath.layerNorm(h, n, hidden, tensors.get(p + "layer_norm2.weight", hidden),
                tensors.get(p + "layer_norm2.bias", hidden), eps);
        float[] up = ReferenceMath.activation(config.hiddenAct(), projection(normed2, n, p + "mlp.fc1", hidden, inter));
        return ReferenceMath.add(h, projection(up, n, p + "mlp.fc2", inter, hidden));
    }

    /** {@code x W^T + b} for the module {@code name} with {@code .weight [out, in]} and {@code .bias [out]}. */
    private float[] projection(float[] x, int rows, String name, int in, int out) {
        return ReferenceMath.linearWithBias(x, rows, in, tensors.get(name + ".weight", out, in),
                tensors.get(name + ".bias", out), out);
    }
}

package dev.vlflow.engine.reference;

import dev.vlflow.engine.model.CheckpointException;
import dev.vlflow.engine.model.DType;
import dev.vlflow.engine.model.ModelConfig;
import dev.vlflow.engine.model.TensorInfo;
import dev.vlflow.engine.model.TextConfig;
import dev.vlflow.engine.model.VisionConfig;
import dev.vlflow.engine.model.Weights;

import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Small in-memory weights for the reference's own tests: every canonical tensor of a config, filled with seeded
 * uniform values in {@code [-scale, scale]} (norm weights around 1), each replaceable with {@link #set}.
 */
final class FixtureWeights implements Weights {

    private final ModelConfig config;
    private final Map<String, long[]> shapes = new LinkedHashMap<>();
    private final Map<String, float[]> values = new LinkedHashMap<>();

    private FixtureWeights(ModelConfig config) {
        this.config = config;
    }

    /** A tiny model: decoder 2 layers, width 16, 4 query / 2 KV heads, vocab 64; SigLIP 1 layer on 14 px, patch 2 (7x7 patches pooled to 4x4). */
    static ModelConfig tinyConfig() {
        TextConfig text = new TextConfig(64, 16, 24, 2, 4, 2, 1e-6, 10000.0, 512, false);
        VisionConfig vision = new VisionConfig(12, 20, 1, 2, 2, 14, 3, 1e-6, "gelu_pytorch_tanh");
        return new ModelConfig(text, vision, 60, 61, List.of(62, 63), "gelu");
    }

    /** Every canonical tensor of {@code config}, random and seeded. */
    static FixtureWeights random(ModelConfig config, long seed) {
        FixtureWeights w = new FixtureWeights(config);
        SplittableRandom rnd = new SplittableRandom(seed);
        TextConfig t = config.text();
        VisionConfig v = config.vision();
        int h = t.hiddenSize();
        String lm = "model.language_model.";
        w.fill(rnd, lm + "embed_tokens.weight", 0.5, t.vocabSize(), h);
        for (int l = 0; l < t.numHiddenLayers(); l++) {
            String p = lm + "layers." + l + ".";
            w.norm(rnd, p + "input_layernorm.weight", h);
            w.fill(rnd, p + "self_attn.q_proj.weight", 0.3, h, h);
            w.fill(rnd, p + "self_attn.q_proj.bias", 0.1, h);
            w.fill(rnd, p + "self_attn.k_proj.weight", 0.3, t.kvWidth(), h);
            w.fill(rnd, p + "self_attn.k_proj.bias", 0.1, t.kvWidth());
            w.fill(rnd, p + "self_attn.v_proj.weight", 0.3, t.kvWidth(), h);
            w.fill(rnd, p + "self_attn.v_proj.bias", 0.1, t.kvWidth());
            w.fill(rnd, p + "self_attn.o_proj.weight", 0.3, h, h);
            w.norm(rnd, p + "post_attention_layernorm.weight", h);
            w.fill(rnd, p + "mlp.gate_proj.weight", 0.3, t.intermediateSize(), h);
            w.fill(rnd, p + "mlp.up_proj.weight", 0.3, t.intermediateSize(), h);
            w.fill(rnd, p + "mlp.down_proj.weight", 0.3, h, t.intermediateSize());
        }
        w.norm(rnd, lm + "norm.weight", h);
        w.fill(rnd, "lm_head.weight", 0.5, t.vocabSize(), h);

        int vh = v.hiddenSize();
        String vp = "model.vision_tower.vision_model.";
        w.fill(rnd, vp + "embeddings.patch_embedding.weight", 0.3, vh, v.numChannels(), v.patchSize(), v.patchSize());
        w.fill(rnd, vp + "embeddings.patch_embedding.bias", 0.1, vh);
        w.fill(rnd, vp + "embeddings.position_embedding.weight", 0.3, v.numPatches(), vh);
        for (int l = 0; l < v.numHiddenLayers(); l++) {
            String p = vp + "encoder.layers." + l + ".";
            for (String ln : new String[] {"layer_norm1", "layer_norm2"}) {
                w.norm(rnd, p + ln + ".weight", vh);
                w.fill(rnd, p + ln + ".bias", 0.1, vh);
            }
            for (String proj : new String[] {"q_proj", "k_proj", "v_proj", "out_proj"}) {
                w.fill(rnd, p + "self_attn." + proj + ".weight", 0.3, vh, vh);
                w.fill(rnd, p + "self_attn." + proj + ".bias", 0.1, vh);
            }
            w.fill(rnd, p + "mlp.fc1.weight", 0.3, v.intermediateSize(), vh);
            w.fill(rnd, p + "mlp.fc1.bias", 0.1, v.intermediateSize());
            w.fill(rnd, p + "mlp.fc2.weight", 0.3, vh, v.intermediateSize());
            w.fill(rnd, p + "mlp.fc2.bias", 0.1, vh);
        }
        w.norm(rnd, vp + "post_layernorm.weight", vh);
        w.fill(rnd, vp + "post_layernorm.bias", 0.1, vh);
        String mp = "model.multi_modal_projector.";
        w.fill(rnd, mp + "linear_1.weight", 0.3, h, vh);
        w.fill(rnd, mp + "linear_1.bias", 0.1, h);
        w.fill(rnd, mp + "linear_2.weight", 0.3, h, h);
        w.fill(rnd, mp + "linear_2.bias", 0.1, h);
        w.fill(rnd, "model.image_newline", 0.5, h);
        return w;
    }

    /** Replaces the values of an existing tensor (same element count). */
    void set(String name, float[] data) {
        long[] shape = shapes.get(name);
        if (shape == null) {
            throw new IllegalArgumentException("no tensor " + name);
        }
        ReferenceMath.checkLength(name, data, info(name).elements());
        values.put(name, data.clone());
    }

    /** Sets every element of an existing tensor to {@code value}. */
    void setAll(String name, float value) {
        float[] data = new float[values.get(name).length];
        Arrays.fill(data, value);
        set(name, data);
    }

    /** Replaces a tensor by zeros of another shape (to test shape checks). */
    void reshape(String name, long... shape) {
        shapes.put(name, shape.clone());
        values.put(name, new float[(int) TensorInfo.elements(shape)]);
    }

    /** The current values of a tensor (a copy). */
    float[] get(String name) {
        return values.get(name).clone();
    }

    private void fill(SplittableRandom rnd, String name, double scale, long... shape) {
        float[] data = new float[(int) TensorInfo.elements(shape)];
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) ((rnd.nextDouble() * 2 - 1) * scale);
        }
        shapes.put(name, shape);
        values.put(name, data);
    }

    private void norm(SplittableRandom rnd, String name, int width) {
        float[] data = new float[width];
        for (int i = 0; i < width; i++) {
            data[i] = (float) (1.0 + (rnd.nextDouble() * 2 - 1) * 0.2);
        }
        shapes.put(name, new long[] {width});
        values.put(name, data);
    }

    @Override
    public ModelConfig config() {
        return config;
    }

    @Override
    public boolean has(String name) {
        return values.containsKey(name);
    }

    @Override
    public TensorInfo info(String name) {
        long[] shape = shapes.get(name);
        if (shape == null) {
            throw new CheckpointException("fixture has no tensor " + name);
        }
        return new TensorInfo(name, DType.F32, shape.clone());
    }

    @Override
    public FloatBuffer floats(String name) {
        info(name);
        return FloatBuffer.wrap(values.get(name)).asReadOnlyBuffer();
    }

    @Override
    public void close() {
    }
}

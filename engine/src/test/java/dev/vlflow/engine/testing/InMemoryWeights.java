package dev.vlflow.engine.testing;

import dev.vlflow.engine.model.CheckpointException;
import dev.vlflow.engine.model.DType;
import dev.vlflow.engine.model.ModelConfig;
import dev.vlflow.engine.model.TensorInfo;
import dev.vlflow.engine.model.TextConfig;
import dev.vlflow.engine.model.VisionConfig;
import dev.vlflow.engine.model.Weights;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Random float32 weights for any {@link ModelConfig}, under the canonical (current Hugging Face) tensor names,
 * held in direct native-order buffers like a memory-mapped F32 checkpoint. A tensor's values depend only on the
 * seed and its name, and are made on first use (a Qwen2-0.5B-sized layer costs nothing until read).
 *
 * <p>Scales keep activations of order one through many layers: linear weights uniform in
 * {@code ±1/sqrt(fan_in)}, norm weights {@code 1 ± 0.1}, biases and embeddings small.
 * With tied embeddings, {@code lm_head.weight} is the embedding buffer itself.
 */
public final class InMemoryWeights implements Weights {

    public static final String LM = "model.language_model.";
    public static final String VISION = "model.vision_tower.vision_model.";
    public static final String PROJECTOR = "model.multi_modal_projector.";

    private enum Init { LINEAR, NORM, SMALL }

    private record Spec(long[] shape, Init init, long fanIn) {
    }

    private final ModelConfig config;
    private final long seed;
    private final Map<String, Spec> specs;
    private final Map<String, FloatBuffer> materialized = new ConcurrentHashMap<>();

    public InMemoryWeights(ModelConfig config, long seed) {
        this.config = config;
        this.seed = seed;
        this.specs = Collections.unmodifiableMap(specsOf(config));
    }

    /** A few-thousand-parameter model: text hidden 64, 2 layers, 4/2 heads; vision hidden 32, 2 layers, 112 px. */
    public static ModelConfig tinyConfig() {
        return config(new TextConfig(256, 64, 128, 2, 4, 2, 1e-6, 1_000_000.0, 4096, true),
                new VisionConfig(32, 64, 2, 2, 14, 112, 3, 1e-6, "gelu_pytorch_tanh"));
    }

    /** A config from its two parts, with special token ids at the top of the vocabulary. */
    public static ModelConfig config(TextConfig text, VisionConfig vision) {
        int v = text.vocabSize();
        return new ModelConfig(text, vision, v - 4, v - 3, List.of(v - 2, v - 1), "gelu");
    }

    /** The canonical names this model holds (lm_head included), in a stable order. */
    public Set<String> names() {
        return specs.keySet();
    }

    /** A copy of the tensor's values. */
    public float[] array(String name) {
        FloatBuffer b = floats(name);
        float[] out = new float[b.remaining()];
        b.get(out);
        return out;
    }

    @Override
    public ModelConfig config() {
        return config;
    }

    @Override
    public boolean has(String name) {
        return specs.containsKey(name);
    }

    @Override
    public TensorInfo info(String name) {
        return new TensorInfo(name, DType.F32, spec(name).shape().clone());
    }

    @Override
    public FloatBuffer floats(String name) {
        String key = resolve(name);
        Spec spec = spec(key);
        return materialized.computeIfAbsent(key, k -> generate(k, spec)).duplicate().asReadOnlyBuffer();
    }

    @Override
    public void close() {
        materialized.clear();
    }

    private String resolve(String name) {
        return name.equals("lm_head.weight") && config.text().tieWordEmbeddings() ? LM + "embed_tokens.weight" : name;
    }

    private Spec spec(String name) {
        Spec s = specs.get(name);
        if (s == null) {
            throw new CheckpointException("tensor " + name + " is not in this in-memory checkpoint");
        }
        return s;
    }

    private FloatBuffer generate(String name, Spec spec) {
        long n = TensorInfo.elements(spec.shape());
        FloatBuffer out = ByteBuffer.allocateDirect(Math.toIntExact(4 * n)).order(ByteOrder.nativeOrder())
                .asFloatBuffer();
        SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + name.hashCode());
        double scale = switch (spec.init()) {
            case LINEAR -> 1.0 / Math.sqrt(spec.fanIn());
            case NORM, SMALL -> 0.1;
        };
        double offset = spec.init() == Init.NORM ? 1.0 : 0.0;
        for (long i = 0; i < n; i++) {
            out.put((float) (offset + scale * (2 * random.nextDouble() - 1)));
        }
        return out.flip();
    }

    private static Map<String, Spec> specsOf(ModelConfig config) {
        TextConfig t = config.text();
        VisionConfig v = config.vision();
        Map<String, Spec> m = new LinkedHashMap<>();
        long h = t.hiddenSize();
        long q = (long) t.numAttentionHeads() * t.headDim();
        long kv = t.kvWidth();
        long inter = t.intermediateSize();
        m.put(LM + "embed_tokens.weight", new Spec(new long[] {t.vocabSize(), h}, Init.SMALL, 1));
        for (int i = 0; i < t.numHiddenLayers(); i++) {
            String p = LM + "layers." + i + ".";
            m.put(p + "input_layernorm.weight", new Spec(new long[] {h}, Init.NORM, 1));
            linear(m, p + "self_attn.q_proj.", q, h, true);
            linear(m, p + "self_attn.k_proj.", kv, h, true);
            linear(m, p + "self_attn.v_proj.", kv, h, true);
            linear(m, p + "self_attn.o_proj.", h, q, false);
            m.put(p + "post_attention_layernorm.weight", new Spec(new long[] {h}, Init.NORM, 1));
            linear(m, p + "mlp.gate_proj.", inter, h, false);
            linear(m, p + "mlp.up_proj.", inter, h, false);
            linear(m, p + "mlp.down_proj.", h, inter, false);
        }
        m.put(LM + "norm.weight", new Spec(new long[] {h}, Init.NORM, 1));
        m.put("lm_head.weight", new Spec(new long[] {t.vocabSize(), h}, Init.LINEAR, h));

        long d = v.hiddenSize();
        long patchIn = (long) v.numChannels() * v.patchSize() * v.patchSize();
        m.put(VISION + "embeddings.patch_embedding.weight",
                new Spec(new long[] {d, v.numChannels(), v.patchSize(), v.patchSize()}, Init.LINEAR, patchIn));
        m.put(VISION + "embeddings.patch_embedding.bias", new Spec(new long[] {d}, Init.SMALL, 1));
        m.put(VISION + "embeddings.position_embedding.weight", new Spec(new long[] {v.numPatches(), d}, Init.SMALL, 1));
        for (int i = 0; i < v.numHiddenLayers(); i++) {
            String p = VISION + "encoder.layers." + i + ".";
            layerNorm(m, p + "layer_norm1.", d);
            for (String proj : new String[] {"q_proj", "k_proj", "v_proj", "out_proj"}) {
                linear(m, p + "self_attn." + proj + ".", d, d, true);
            }
            layerNorm(m, p + "layer_norm2.", d);
            linear(m, p + "mlp.fc1.", v.intermediateSize(), d, true);
            linear(m, p + "mlp.fc2.", d, v.intermediateSize(), true);
        }
        layerNorm(m, VISION + "post_layernorm.", d);
        linear(m, PROJECTOR + "linear_1.", h, d, true);
        linear(m, PROJECTOR + "linear_2.", h, h, true);
        m.put("model.image_newline", new Spec(new long[] {h}, Init.SMALL, 1));
        return m;
    }

    private static void linear(Map<String, Spec> m, String prefix, long out, long in, boolean bias) {
        m.put(prefix + "weight", new Spec(new long[] {out, in}, Init.LINEAR, in));
        if (bias) {
            m.put(prefix + "bias", new Spec(new long[] {out}, Init.SMALL, 1));
        }
    }

    private static void layerNorm(Map<String, Spec> m, String prefix, long d) {
        m.put(prefix + "weight", new Spec(new long[] {d}, Init.NORM, 1));
        m.put(prefix + "bias", new Spec(new long[] {d}, Init.SMALL, 1));
    }
}

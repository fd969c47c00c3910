package dev.vlflow.engine.onnx;

import dev.vlflow.engine.model.ModelConfig;
import dev.vlflow.engine.model.VisionConfig;
import dev.vlflow.engine.model.Weights;
import java.util.List;

/** The visual graphs: the SigLIP tower, and the projector followed by 2x2 bilinear pooling. F is symbolic. */
final class VisionGraphs {

    static final String PIXELS = "pixel_values";
    static final String FEATURES = "features";
    static final String POOLED = "pooled";

    private VisionGraphs() {
    }

    /**
     * SigLIP tower: {@code pixel_values [F, C, S, S] -> features [F, P, Dv]}, the last encoder layer's output
     * without {@code post_layernorm} ({@code vision_feature_layer = -1}, strategy "full").
     */
    static OnnxGraph tower(Weights weights) {
        VisionConfig v = weights.config().vision();
        GraphBuilder g = new GraphBuilder("vision_tower");
        Blocks b = new Blocks(g, weights);
        long d = v.hiddenSize();
        long p = v.numPatches();
        Dim f = Dim.sym("F");
        Value pixels = g.input(PIXELS, f, Dim.of(v.numChannels()), Dim.of(v.imageSize()), Dim.of(v.imageSize()));

        String emb = "/vision_tower/embeddings";
        Value patches = g.op(emb + "/patch_embedding", "Conv", List.of(pixels,
                        b.weight(WeightNames.PATCH_EMBEDDING + "weight"), b.weight(WeightNames.PATCH_EMBEDDING + "bias")),
                Attribute.ints("kernel_shape", v.patchSize(), v.patchSize()),
                Attribute.ints("strides", v.patchSize(), v.patchSize())); // [F, Dv, s, s]
        Value flat = g.reshape(emb + "/Reshape", patches, 0, d, p); // [F, Dv, P]
        Value tokens = g.transpose(emb + "/Transpose", flat, 0, 2, 1); // [F, P, Dv]
        Value positioned = g.add(emb + "/position_embedding", tokens, b.weight(WeightNames.POSITION_EMBEDDING));
        Value x = g.reshape(emb + "/Reshape_1", positioned, -1, d); // [F*P, Dv]

        for (int layer = 0; layer < v.numHiddenLayers(); layer++) {
            x = encoderLayer(b, v, layer, x);
        }
        g.output(g.reshape("/vision_tower/Reshape", x, -1, p, d), FEATURES, f, Dim.of(p), Dim.of(d));
        return g.build();
    }

    /** One pre-LN SigLIP encoder layer on {@code x [F*P, Dv]}. */
    private static Value encoderLayer(Blocks b, VisionConfig v, int layer, Value x) {
        GraphBuilder g = b.graph();
        String node = "/vision_tower/encoder/layers." + layer;
        String w = WeightNames.visionLayer(layer);
        Value h = b.layerNorm(node + "/layer_norm1", x, w + "layer_norm1.", v.layerNormEps());
        Value q = b.linear(node + "/self_attn/q_proj", h, w + "self_attn.q_proj.");
        Value k = b.linear(node + "/self_attn/k_proj", h, w + "self_attn.k_proj.");
        Value val = b.linear(node + "/self_attn/v_proj", h, w + "self_attn.v_proj.");
        Value context = b.frameAttention(node + "/self_attn/attention", q, k, val, v.numPatches(),
                v.numAttentionHeads(), v.headDim());
        Value attn = b.linear(node + "/self_attn/out_proj", context, w + "self_attn.out_proj.");
        Value x1 = g.add(node + "/residual_attn", x, attn);
        Value h2 = b.layerNorm(node + "/layer_norm2", x1, w + "layer_norm2.", v.layerNormEps());
        Value up = b.linear(node + "/mlp/fc1", h2, w + "mlp.fc1.");
        Value act = b.geluTanh(node + "/mlp/act", up);
        Value down = b.linear(node + "/mlp/fc2", act, w + "mlp.fc2.");
        return g.add(node + "/residual_mlp", x1, down);
    }

    /**
     * Projector and pooling: {@code features [F*P, Dv] -> linear_1 -> GELU(erf) -> linear_2 -> [F, s, s, H]
     * -> bilinear resize to ceil(s/2) (half_pixel = PyTorch align_corners=False) -> pooled [F*pooled², H]}.
     */
    static OnnxGraph projectorAndPool(Weights weights) {
        ModelConfig c = weights.config();
        VisionConfig v = c.vision();
        String act = c.projectorHiddenAct();
        if (!act.equals("gelu")) {
            throw new IllegalArgumentException("projector_hidden_act '" + act + "' is not supported (only 'gelu')");
        }
        GraphBuilder g = new GraphBuilder("projector_pool");
        Blocks b = new Blocks(g, weights);
        long h = c.text().hiddenSize();
        long side = v.patchesPerSide();
        long pooled = v.pooledSide();
        Value x = g.input(FEATURES, Dim.sym("FP"), Dim.of(v.hiddenSize()));

        String proj = "/multi_modal_projector";
        Value l1 = b.linear(proj + "/linear_1", x, WeightNames.PROJECTOR + "linear_1.");
        Value a = b.geluErf(proj + "/act", l1);
        Value l2 = b.linear(proj + "/linear_2", a, WeightNames.PROJECTOR + "linear_2."); // [F*P, H]

        g.output(b.bilinearPool("/pool", l2, side, pooled, h), POOLED, Dim.sym("FQ"), Dim.of(h));
        return g.build();
    }
}

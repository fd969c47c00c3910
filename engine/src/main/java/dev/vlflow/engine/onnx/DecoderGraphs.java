package dev.vlflow.engine.onnx;

import dev.vlflow.engine.model.TextConfig;
import dev.vlflow.engine.model.Weights;
import dev.vlflow.engine.quant.WeightPrecision;

/**
 * The Qwen2 decoder's dense parts, per layer around the attention that runs in Java, and the head. T is symbolic.
 *
 * <pre>
 * pre-attention  N:  hidden [T,H] -> RMSNorm(input_layernorm) -> q [T,nH*hd], k [T,nKV*hd], v [T,nKV*hd]
 * post-attention N:  residual [T,H], attention [T,nH*hd] -> h = residual + o_proj(attention)
 *                    -> hidden = h + down(silu(gate(z)) * up(z)),  z = RMSNorm(post_attention_layernorm)(h)
 * step N:            post-attention N then pre-attention N+1 in one graph (hidden, q, k, v)
 * attention-only N: residual [T,H], attention [T,nH*hd] -> hidden = residual + o_proj(attention)   (MLP skipped)
 * mlp-only N:       residual [T,H] -> residual + down(silu(gate(z)) * up(z)), z = RMSNorm(residual) (attention skipped)
 * head:              hidden [T,H] -> RMSNorm(norm) -> lm_head -> logits [T,V]
 * </pre>
 * The projections (q/k/v/o, gate/up/down, lm_head) run at the given {@link WeightPrecision}; the 2-argument forms are
 * float32.
 */
final class DecoderGraphs {

    static final String HIDDEN = "hidden";
    static final String RESIDUAL = "residual";
    static final String ATTENTION = "attention";
    static final String Q = "q";
    static final String K = "k";
    static final String V = "v";
    static final String LOGITS = "logits";

    private static final Dim T = Dim.sym("T");

    private DecoderGraphs() {
    }

    static OnnxGraph preAttention(Weights weights, int layer) {
        return preAttention(weights, layer, WeightPrecision.FP32);
    }

    static OnnxGraph preAttention(Weights weights, int layer, WeightPrecision precision) {
        TextConfig t = weights.config().text();
        GraphBuilder g = new GraphBuilder("layers." + layer + ".pre_attention");
        Blocks b = new Blocks(g, weights, precision);
        Value hidden = g.input(HIDDEN, T, Dim.of(t.hiddenSize()));
        qkv(b, t, layer, hidden);
        return g.build();
    }

    static OnnxGraph postAttention(Weights weights, int layer) {
        return postAttention(weights, layer, WeightPrecision.FP32);
    }

    static OnnxGraph postAttention(Weights weights, int layer, WeightPrecision precision) {
        TextConfig t = weights.config().text();
        GraphBuilder g = new GraphBuilder("layers." + layer + ".post_attention");
        Blocks b = new Blocks(g, weights, precision);
        Value out = postAttention(b, t, layer, residualInput(g, t), attentionInput(g, t));
        g.output(out, HIDDEN, T, Dim.of(t.hiddenSize()));
        return g.build();
    }

    /** The attention residual of {@code layer} alone, for a pass that skips the layer's MLP. */
    static OnnxGraph attentionOnly(Weights weights, int layer) {
        return attentionOnly(weights, layer, WeightPrecision.FP32);
    }

    static OnnxGraph attentionOnly(Weights weights, int layer, WeightPrecision precision) {
        TextConfig t = weights.config().text();
        GraphBuilder g = new GraphBuilder("layers." + layer + ".attention_only");
        Blocks b = new Blocks(g, weights, precision);
        Value out = attentionResidual(b, layer, residualInput(g, t), attentionInput(g, t));
        g.output(out, HIDDEN, T, Dim.of(t.hiddenSize()));
        return g.build();
    }

    /** The MLP residual of {@code layer} alone, for a pass that skips the layer's attention. */
    static OnnxGraph mlpOnly(Weights weights, int layer) {
        return mlpOnly(weights, layer, WeightPrecision.FP32);
    }

    static OnnxGraph mlpOnly(Weights weights, int layer, WeightPrecision precision) {
        TextConfig t = weights.config().text();
        GraphBuilder g = new GraphBuilder("layers." + layer + ".mlp_only");
        Blocks b = new Blocks(g, weights, precision);
        Value out = mlpResidual(b, t, layer, residualInput(g, t));
        g.output(out, HIDDEN, T, Dim.of(t.hiddenSize()));
        return g.build();
    }

    /** Post-attention of {@code layer} fused with pre-attention of {@code layer + 1}: one session call less. */
    static OnnxGraph step(Weights weights, int layer) {
        return step(weights, layer, WeightPrecision.FP32);
    }

    static OnnxGraph step(Weights weights, int layer, WeightPrecision precision) {
        TextConfig t = weights.config().text();
        if (layer + 1 >= t.numHiddenLayers()) {
            throw new IllegalArgumentException("layer " + layer + " is the last; it has no next layer to fuse with");
        }
        GraphBuilder g = new GraphBuilder("layers." + layer + ".step");
        Blocks b = new Blocks(g, weights, precision);
        Value out = postAttention(b, t, layer, residualInput(g, t), attentionInput(g, t));
        qkv(b, t, layer + 1, g.output(out, HIDDEN, T, Dim.of(t.hiddenSize())));
        return g.build();
    }

    static OnnxGraph head(Weights weights) {
        return head(weights, WeightPrecision.FP32);
    }

    static OnnxGraph head(Weights weights, WeightPrecision precision) {
        TextConfig t = weights.config().text();
        GraphBuilder g = new GraphBuilder("head");
        Blocks b = new Blocks(g, weights, precision);
        Value hidden = g.input(HIDDEN, T, Dim.of(t.hiddenSize()));
        Value normed = b.rmsNorm("/model/norm", hidden, WeightNames.FINAL_NORM, t.rmsNormEps());
        Value logits = b.projection("/lm_head", normed, WeightNames.LM_HEAD); // [T, V]
        g.output(logits, LOGITS, T, Dim.of(t.vocabSize()));
        return g.build();
    }

    private static Value residualInput(GraphBuilder g, TextConfig t) {
        return g.input(RESIDUAL, T, Dim.of(t.hiddenSize()));
    }

    private static Value attentionInput(GraphBuilder g, TextConfig t) {
        return g.input(ATTENTION, T, Dim.of((long) t.numAttentionHeads() * t.headDim()));
    }

    /** Declares outputs q, k, v of {@code layer} computed from {@code hidden [T, H]}. */
    private static void qkv(Blocks b, TextConfig t, int layer, Value hidden) {
        GraphBuilder g = b.graph();
        String node = "/model/layers." + layer;
        String w = WeightNames.decoderLayer(layer);
        Value x = b.rmsNorm(node + "/input_layernorm", hidden, w + "input_layernorm.weight", t.rmsNormEps());
        g.output(b.linear(node + "/self_attn/q_proj", x, w + "self_attn.q_proj."), Q,
                T, Dim.of((long) t.numAttentionHeads() * t.headDim()));
        g.output(b.linear(node + "/self_attn/k_proj", x, w + "self_attn.k_proj."), K, T, Dim.of(t.kvWidth()));
        g.output(b.linear(node + "/self_attn/v_proj", x, w + "self_attn.v_proj."), V, T, Dim.of(t.kvWidth()));
    }

    private static Value postAttention(Blocks b, TextConfig t, int layer, Value residual, Value attention) {
        return mlpResidual(b, t, layer, attentionResidual(b, layer, residual, attention));
    }

    private static Value attentionResidual(Blocks b, int layer, Value residual, Value attention) {
        String node = "/model/layers." + layer;
        Value o = b.linearNoBias(node + "/self_attn/o_proj", attention, WeightNames.decoderLayer(layer)
                + "self_attn.o_proj.");
        return b.graph().add(node + "/residual_attn", residual, o);
    }

    private static Value mlpResidual(Blocks b, TextConfig t, int layer, Value h) {
        GraphBuilder g = b.graph();
        String node = "/model/layers." + layer;
        String w = WeightNames.decoderLayer(layer);
        Value z = b.rmsNorm(node + "/post_attention_layernorm", h, w + "post_attention_layernorm.weight",
                t.rmsNormEps());
        Value gate = b.linearNoBias(node + "/mlp/gate_proj", z, w + "mlp.gate_proj.");
        Value up = b.linearNoBias(node + "/mlp/up_proj", z, w + "mlp.up_proj.");
        Value act = b.silu(node + "/mlp/act", gate);
        Value product = g.mul(node + "/mlp/Mul", act, up);
        Value down = b.linearNoBias(node + "/mlp/down_proj", product, w + "mlp.down_proj.");
        return g.add(node + "/residual_mlp", h, down);
    }
}

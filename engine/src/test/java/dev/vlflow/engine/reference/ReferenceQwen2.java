package dev.vlflow.engine.reference;

import dev.vlflow.engine.model.TextConfig;
import dev.vlflow.engine.model.Weights;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The Qwen2 decoder over a whole sequence at once (no cache), positions {@code 0..n-1}:
 * <pre>
 *   h = x + o_proj(attn(rope(q), rope(k), v))   with q, k, v = {q,k,v}_proj(rmsNorm_in(x)) (biases; o without)
 *   y = h + down_proj(silu(gate_proj(z)) * up_proj(z))   with z = rmsNorm_post(h)
 * </pre>
 * then the final RMSNorm and the LM head for every position.
 */
public final class ReferenceQwen2 {

    private static final String PREFIX = "model.language_model.";

    private final TextConfig config;
    private final ShapeCheckedTensors tensors;

    public ReferenceQwen2(Weights weights) {
        this.config = weights.config().text();
        this.tensors = new ShapeCheckedTensors(weights);
    }

    /**
     * Rows of {@code embed_tokens} for the ids.
     *
     * @param tokenIds [n]
     * @return [n, H]
     */
    public float[] embed(int[] tokenIds) {
        int hidden = config.hiddenSize();
        FloatBuffer table = tensors.get(PREFIX + "embed_tokens.weight", config.vocabSize(), hidden);
        float[] out = new float[tokenIds.length * hidden];
        float[] row = new float[hidden];
        for (int t = 0; t < tokenIds.length; t++) {
            int id = tokenIds[t];
            if (id < 0 || id >= config.vocabSize()) {
                throw new IllegalArgumentException("token id " + id + " at position " + t + " outside vocab of "
                        + config.vocabSize());
            }
            table.get(id * hidden, row);
            System.arraycopy(row, 0, out, t * hidden, hidden);
        }
        return out;
    }

    /**
     * The full decoder on input embeddings at positions {@code 0..n-1}.
     *
     * @param inputEmbeddings [n, H]
     */
    public DecoderTrace forward(float[] inputEmbeddings) {
        int hidden = config.hiddenSize();
        if (inputEmbeddings.length == 0 || inputEmbeddings.length % hidden != 0) {
            throw new IllegalArgumentException("input embeddings of " + inputEmbeddings.length
                    + " floats are not a positive number of rows of width " + hidden);
        }
        int n = inputEmbeddings.length / hidden;
        int[] positions = new int[n];
        for (int t = 0; t < n; t++) {
            positions[t] = t;
        }
        List<float[]> states = new ArrayList<>();
        float[] x = inputEmbeddings.clone();
        states.add(x);
        for (int layer = 0; layer < config.numHiddenLayers(); layer++) {
            x = layer(x, positions, layer);
            states.add(x);
        }
        float[] normed = finalNorm(x);
        float[] logits = lmHead(normed);
        return new DecoderTrace(n, hidden, config.vocabSize(), states, normed, logits);
    }

    /**
     * One decoder layer: {@link #attentionInputs}, RoPE, causal attention, then {@link #afterAttention}.
     *
     * @param x         [n, H], the residual stream
     * @param positions [n], RoPE positions of the rows
     * @return [n, H]
     */
    public float[] layer(float[] x, int[] positions, int layer) {
        int n = positions.length;
        int headDim = config.headDim();
        float[][] qkv = attentionInputs(x, layer);
        float[] q = ReferenceAttention.rope(qkv[0], positions, config.numAttentionHeads(), headDim, config.ropeTheta());
        float[] k = ReferenceAttention.rope(qkv[1], positions, config.numKeyValueHeads(), headDim, config.ropeTheta());
        float[] attn = ReferenceAttention.causalGqa(q, k, qkv[2], n, config.numAttentionHeads(),
                config.numKeyValueHeads(), headDim);
        return afterAttention(x, attn, layer);
    }

    /**
     * The attention inputs of one layer, before RoPE: the input RMSNorm, then the q, k and v projections.
     *
     * @param x [n, H], the residual stream
     * @return {q [n, nH * hd], k [n, nKV * hd], v [n, nKV * hd]}
     */
    public float[][] attentionInputs(float[] x, int layer) {
        int hidden = config.hiddenSize();
        int n = x.length / hidden;
        int kvWidth = config.kvWidth();
        String p = PREFIX + "layers." + layer + ".";
        float[] normed = ReferenceMath.rmsNorm(x, n, hidden, tensors.get(p + "input_layernorm.weight", hidden),
                config.rmsNormEps());
        return new float[][] {
            biased(normed, n, p + "self_attn.q_proj", hidden, hidden),
            biased(normed, n, p + "self_attn.k_proj", hidden, kvWidth),
            biased(normed, n, p + "self_attn.v_proj", hidden, kvWidth)};
    }

    /**
     * The rest of one layer once attention has run: {@code h = x + o_proj(attn)},
     * {@code y = h + down_proj(silu(gate_proj(z)) * up_proj(z))} with {@code z = rmsNorm_post(h)}.
     *
     * @param x    [n, H], the residual stream entering the layer
     * @param attn [n, nH * hd], the per-head attention outputs concatenated
     * @return [n, H]
     */
    public float[] afterAttention(float[] x, float[] attn, int layer) {
        int hidden = config.hiddenSize();
        int n = x.length / hidden;
        int inter = config.intermediateSize();
        String p = PREFIX + "layers." + layer + ".";
        float[] h = ReferenceMath.add(x, ReferenceMath.linear(attn, n, hidden,
                tensors.get(p + "self_attn.o_proj.weight", hidden, hidden), hidden));

        float[] z = ReferenceMath.rmsNorm(h, n, hidden,
                tensors.get(p + "post_attention_layernorm.weight", hidden), config.rmsNormEps());
        float[] gate = ReferenceMath.linear(z, n, hidden, tensors.get(p + "mlp.gate_proj.weight", inter, hidden), inter);
        float[] up = ReferenceMath.linear(z, n, hidden, tensors.get(p + "mlp.up_proj.weight", inter, hidden), inter);
        float[] act = new float[gate.length];                                         // [n, I]
        for (int i = 0; i < act.length; i++) {
            act[i] = (float) (ReferenceMath.silu(gate[i]) * up[i]);
        }
        float[] down = ReferenceMath.linear(act, n, inter, tensors.get(p + "mlp.down_proj.weight", hidden, inter),
                hidden);
        return ReferenceMath.add(h, down);
    }

    /** The final RMSNorm: [n, H] -> [n, H]. */
    public float[] finalNorm(float[] x) {
        int hidden = config.hiddenSize();
        return ReferenceMath.rmsNorm(x, x.length / hidden, hidden, tensors.get(PREFIX + "norm.weight", hidden),
                config.rmsNormEps());
    }

    /** The LM head: [n, H] -> [n, V]. */
    public float[] lmHead(float[] normed) {
        int hidden = config.hiddenSize();
        return ReferenceMath.linear(normed, normed.length / hidden, hidden,
                tensors.get("lm_head.weight", config.vocabSize(), hidden), config.vocabSize());
    }

    private float[] biased(float[] x, int rows, String name, int in, int out) {
        return ReferenceMath.linearWithBias(x, rows, in, tensors.get(name + ".weight", out, in),
                tensors.get(name + ".bias", out), out);
    }
}

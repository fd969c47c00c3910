package dev.vlflow.engine.runtime;

import dev.vlflow.engine.model.ModelConfig;
import dev.vlflow.engine.model.TextConfig;
import dev.vlflow.engine.model.Weights;
import dev.vlflow.engine.onnx.OnnxModel;
import dev.vlflow.engine.onnx.QkvProjection;
import dev.vlflow.kv.AttentionMask;
import dev.vlflow.kv.AttentionQuery;
import dev.vlflow.kv.KvCache;
import java.nio.FloatBuffer;

/**
 * Runs the Qwen2 decoder: dense parts on ONNX Runtime, RoPE and attention in Java over a {@link KvCache}.
 * One forward pass = for each layer {@code pre-attention -> RoPE -> append K/V -> attend -> post-attention},
 * then the head on the requested rows. Stateless apart from immutable tables; the cache carries the stream.
 */
public final class DecoderRunner {

    static final String EMBED = "model.language_model.embed_tokens.weight";

    private final OnnxModel onnx;
    private final TextConfig text;
    private final Rope rope;
    private final FloatBuffer embeddings; // [vocab, hidden]
    private final float scale;

    public DecoderRunner(OnnxModel onnx, Weights weights) {
        ModelConfig config = weights.config();
        this.onnx = onnx;
        this.text = config.text();
        this.rope = new Rope(text.headDim(), text.ropeTheta());
        this.embeddings = weights.floats(EMBED);
        this.scale = (float) (1.0 / Math.sqrt(text.headDim()));
    }

    public TextConfig text() {
        return text;
    }

    /** Token embeddings, [ids.length, hidden]. */
    public float[] embed(int[] ids) {
        int h = text.hiddenSize();
        float[] out = new float[ids.length * h];
        for (int i = 0; i < ids.length; i++) {
            int id = ids[i];
            if (id < 0 || id >= text.vocabSize()) {
                throw new IllegalArgumentException("token id " + id + " outside the vocabulary of " + text.vocabSize());
            }
            embeddings.get(id * h, out, i * h, h);
        }
        return out;
    }

    /**
     * One forward pass over a block of tokens that extends {@code cache}.
     *
     * @param inputs    [tokens, hidden] input embeddings
     * @param positions [tokens] original positions of the tokens
     */
    public ForwardResult forward(float[] inputs, int tokens, int[] positions, KvCache cache, LogitRows rows) {
        int heads = text.numAttentionHeads();
        int kvHeads = text.numKeyValueHeads();
        float[] hidden = inputs;
        float[] attention = new float[tokens * text.hiddenSize()];
        boolean trackImportance = Importance.tracks(cache, tokens);
        for (int layer = 0; layer < text.numHiddenLayers(); layer++) {
            QkvProjection qkv = onnx.preAttention(layer, hidden, tokens);
            rope.apply(qkv.q(), tokens, heads, positions);
            rope.apply(qkv.k(), tokens, kvHeads, positions);
            cache.append(layer, qkv.k(), qkv.v(), positions, tokens);
            AttentionQuery query = Importance.query(qkv.q(), tokens, heads, positions, scale, cache, layer,
                    trackImportance);
            cache.attend(layer, query, attention);
            if (trackImportance) {
                Importance.mark(cache, layer, query);
            }
            hidden = onnx.postAttention(layer, hidden, attention, tokens);
        }
        return head(hidden, tokens, rows);
    }

    /**
     * A decoding pass: a block of tokens (one decode step, a draft step, or the candidates of a chain or tree under
     * verification) through the sub-layers {@code plan} runs, attending with {@code mask}; logits for every row.
     * Unlike {@link #forward} it never re-ranks a mixed-precision cache's tokens: decoding leaves importance alone.
     *
     * @param inputs    [tokens, hidden] input embeddings
     * @param positions [tokens] RoPE position of each token (a tree node: context length + depth - 1)
     */
    public ForwardResult decode(float[] inputs, int tokens, int[] positions, AttentionMask mask, KvCache cache,
                                LayerPlan plan) {
        if (plan.layers() != text.numHiddenLayers()) {
            throw new IllegalArgumentException("plan for " + plan.layers() + " layers, model has "
                    + text.numHiddenLayers());
        }
        int heads = text.numAttentionHeads();
        int kvHeads = text.numKeyValueHeads();
        float[] hidden = inputs;
        float[] attention = new float[tokens * text.hiddenSize()];
        for (int layer = 0; layer < text.numHiddenLayers(); layer++) {
            if (!plan.runsAttention(layer)) {
                hidden = plan.runsMlp(layer) ? onnx.mlpOnly(layer, hidden, tokens) : hidden;
                continue;
            }
            QkvProjection qkv = onnx.preAttention(layer, hidden, tokens);
            rope.apply(qkv.q(), tokens, heads, positions);
            rope.apply(qkv.k(), tokens, kvHeads, positions);
            cache.append(layer, qkv.k(), qkv.v(), positions, tokens);
            cache.attend(layer, new AttentionQuery(qkv.q(), tokens, heads, positions, mask, scale,
                    java.util.Optional.empty()), attention);
            hidden = plan.runsMlp(layer) ? onnx.postAttention(layer, hidden, attention, tokens)
                    : onnx.attentionOnly(layer, hidden, attention, tokens);
        }
        return head(hidden, tokens, LogitRows.ALL);
    }

    /**
     * The final norm and LM head on hidden states (a draft head's predictions).
     *
     * @param hidden [rows, hidden]
     * @return [rows, vocab]
     */
    public float[] headLogits(float[] hidden, int rows) {
        return onnx.logits(hidden, rows);
    }

    private ForwardResult head(float[] hidden, int tokens, LogitRows rows) {
        if (rows == LogitRows.ALL) {
            return new ForwardResult(onnx.logits(hidden, tokens), tokens, hidden, tokens);
        }
        int h = text.hiddenSize();
        float[] last = new float[h];
        System.arraycopy(hidden, (tokens - 1) * h, last, 0, h);
        return new ForwardResult(onnx.logits(last, 1), 1, hidden, tokens);
    }

    /**
     * Prefills a long block in chunks of at most {@code chunk} tokens (bounded activation memory; attention of a
     * chunk sees all earlier chunks through the cache) and returns the last chunk's result.
     */
    public ForwardResult prefill(float[] inputs, int tokens, int[] positions, KvCache cache, int chunk) {
        if (tokens <= 0) {
            throw new IllegalArgumentException("nothing to prefill");
        }
        int h = text.hiddenSize();
        ForwardResult last = null;
        for (int start = 0; start < tokens; start += chunk) {
            int n = Math.min(chunk, tokens - start);
            boolean whole = start == 0 && n == tokens;
            float[] block = whole ? inputs : java.util.Arrays.copyOfRange(inputs, start * h, (start + n) * h);
            int[] pos = whole ? positions : java.util.Arrays.copyOfRange(positions, start, start + n);
            last = forward(block, n, pos, cache, LogitRows.LAST);
        }
        return last;
    }
}

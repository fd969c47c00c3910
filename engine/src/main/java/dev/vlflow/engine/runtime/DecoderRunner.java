package dev.vlflow.engine.runtime;

import dev.vlflow.engine.model.TextConfig;
import dev.vlflow.engine.model.Weights;
import dev.vlflow.engine.onnx.OnnxModel;
import dev.vlflow.engine.onnx.QkvProjection;
import dev.vlflow.engine.zipvl.LayerAttention;
import dev.vlflow.engine.zipvl.PromptPart;
import dev.vlflow.engine.zipvl.VideoSpan;
import dev.vlflow.engine.zipvl.ZipVlOptions;
import dev.vlflow.engine.zipvl.ZipVlStats;
import dev.vlflow.kv.AttentionMask;
import dev.vlflow.kv.AttentionQuery;
import dev.vlflow.kv.KvCache;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

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
    private final Optional<ZipVlOptions> zipvl;

    public DecoderRunner(OnnxModel onnx, Weights weights) {
        this(onnx, weights, Optional.empty());
    }

    /** With {@code zipvl} present, prefill runs ZipVL's sparse attention and decode its re-compression. */
    public DecoderRunner(OnnxModel onnx, Weights weights, Optional<ZipVlOptions> zipvl) {
        this(onnx, weights.config().text(), weights.floats(EMBED), zipvl);
    }

    private DecoderRunner(OnnxModel onnx, TextConfig text, FloatBuffer embeddings, Optional<ZipVlOptions> zipvl) {
        this.zipvl = zipvl;
        this.onnx = onnx;
        this.text = text;
        this.rope = new Rope(text.headDim(), text.ropeTheta(), text.ropeLinearFactor());
        this.embeddings = embeddings;
        this.scale = (float) (1.0 / Math.sqrt(text.headDim()));
    }

    /** The same model with other ZipVL settings (shares the ONNX sessions and weights; for benchmarks). */
    public DecoderRunner withZipVl(Optional<ZipVlOptions> z) {
        return new DecoderRunner(onnx, text, embeddings, z);
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
        return forward(inputs, tokens, positions, cache, rows,
                LayerAttention.decode(zipvl, text.numAttentionHeads(), scale));
    }

    private ForwardResult forward(float[] inputs, int tokens, int[] positions, KvCache cache, LogitRows rows,
                                  LayerAttention layerAttention) {
        int heads = text.numAttentionHeads();
        int kvHeads = text.numKeyValueHeads();
        float[] hidden = inputs;
        float[] attention = new float[tokens * text.hiddenSize()];
        int h = text.hiddenSize();
        for (int layer = 0; layer < text.numHiddenLayers(); layer++) {
            QkvProjection qkv = onnx.preAttention(layer, hidden, tokens);
            rope.apply(qkv.q(), tokens, heads, positions);
            rope.apply(qkv.k(), tokens, kvHeads, positions);
            cache.append(layer, qkv.k(), qkv.v(), positions, tokens);
            layerAttention.attend(layer, qkv.q(), tokens, positions, cache, attention);
            hidden = onnx.postAttention(layer, hidden, attention, tokens);
            int[] keep = layerAttention.survivors(layer, tokens);
            if (keep != null) { // progressive dropping: the later layers run on the surviving rows only
                if (rows == LogitRows.ALL) {
                    throw new IllegalStateException("token dropping needs only the last row's logits");
                }
                float[] kept = new float[keep.length * h];
                int[] keptPositions = new int[keep.length];
                for (int i = 0; i < keep.length; i++) {
                    System.arraycopy(hidden, keep[i] * h, kept, i * h, h);
                    keptPositions[i] = positions[keep[i]];
                }
                hidden = kept;
                positions = keptPositions;
                tokens = keep.length;
                attention = new float[tokens * h];
            }
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
        return decode(List.of(new Block(inputs, tokens, positions, mask, cache)), plan).get(0);
    }

    /**
     * One block of a batched decoding pass: the tokens of one answer, the cache they extend and the mask they attend
     * with.
     *
     * @param inputs    [tokens, hidden] input embeddings
     * @param positions [tokens] RoPE positions
     */
    public record Block(float[] inputs, int tokens, int[] positions, AttentionMask mask, KvCache cache) {
        public Block {
            if (tokens <= 0 || positions.length != tokens) {
                throw new IllegalArgumentException(tokens + " tokens with " + positions.length + " positions");
            }
        }
    }

    /**
     * A decoding pass over the blocks of several answers at once (continuous batching): their rows go through each
     * layer's dense parts as one matrix, so the weights are read once for the whole batch, while each block appends
     * to and attends over its own cache with its own mask. Returns each block's result, in order: the same as
     * {@link #decode(float[], int, int[], AttentionMask, KvCache, LayerPlan)} of that block alone, up to ONNX
     * Runtime's rounding of a row inside a larger matrix.
     */
    public List<ForwardResult> decode(List<Block> blocks, LayerPlan plan) {
        if (plan.layers() != text.numHiddenLayers()) {
            throw new IllegalArgumentException("plan for " + plan.layers() + " layers, model has "
                    + text.numHiddenLayers());
        }
        int heads = text.numAttentionHeads();
        int kvHeads = text.numKeyValueHeads();
        int h = text.hiddenSize();
        int n = blocks.size();
        int[] offsets = new int[n + 1];
        for (int b = 0; b < n; b++) {
            offsets[b + 1] = offsets[b] + blocks.get(b).tokens();
        }
        int tokens = offsets[n];
        float[] hidden;
        int[] positions;
        if (n == 1) {
            hidden = blocks.get(0).inputs();
            positions = blocks.get(0).positions();
        } else {
            hidden = new float[tokens * h];
            positions = new int[tokens];
            for (int b = 0; b < n; b++) {
                Block block = blocks.get(b);
                System.arraycopy(block.inputs(), 0, hidden, offsets[b] * h, block.tokens() * h);
                System.arraycopy(block.positions(), 0, positions, offsets[b], block.tokens());
            }
        }
        // ZipVL's decode re-compression runs on causal blocks only; speculation keeps its blocks short of the
        // interval (draftRoom), so re-compression happens on one-token steps exactly where plain decoding does it
        LayerAttention[] causal = new LayerAttention[n];
        for (int b = 0; b < n; b++) {
            causal[b] = blocks.get(b).mask() instanceof AttentionMask.Causal
                    ? LayerAttention.decode(zipvl, heads, scale) : null;
        }
        float[] attention = new float[tokens * h];
        for (int layer = 0; layer < text.numHiddenLayers(); layer++) {
            if (!plan.runsAttention(layer)) {
                hidden = plan.runsMlp(layer) ? onnx.mlpOnly(layer, hidden, tokens) : hidden;
                continue;
            }
            QkvProjection qkv = onnx.preAttention(layer, hidden, tokens);
            rope.apply(qkv.q(), tokens, heads, positions);
            rope.apply(qkv.k(), tokens, kvHeads, positions);
            for (int b = 0; b < n; b++) {
                attendBlock(layer, blocks.get(b), causal[b], n == 1 ? qkv : slice(qkv, tokens, offsets[b], offsets[b + 1]),
                        attention, offsets[b] * (attention.length / tokens), n == 1);
            }
            hidden = plan.runsMlp(layer) ? onnx.postAttention(layer, hidden, attention, tokens)
                    : onnx.attentionOnly(layer, hidden, attention, tokens);
        }
        float[] logits = onnx.logits(hidden, tokens);
        if (n == 1) {
            return List.of(new ForwardResult(logits, tokens, hidden, tokens));
        }
        int v = logits.length / tokens;
        List<ForwardResult> out = new ArrayList<>(n);
        for (int b = 0; b < n; b++) {
            int from = offsets[b];
            int to = offsets[b + 1];
            out.add(new ForwardResult(Arrays.copyOfRange(logits, from * v, to * v), to - from,
                    Arrays.copyOfRange(hidden, from * h, to * h), to - from));
        }
        return out;
    }

    /** Appends one block's K/V to its cache and writes its attention output at {@code outOffset}. */
    private void attendBlock(int layer, Block block, LayerAttention causal, QkvProjection qkv, float[] attention,
                             int outOffset, boolean whole) {
        int t = block.tokens();
        block.cache().append(layer, qkv.k(), qkv.v(), block.positions(), t);
        float[] out = whole ? attention : new float[qkv.q().length];
        if (causal != null) {
            causal.attend(layer, qkv.q(), t, block.positions(), block.cache(), out);
        } else {
            block.cache().attend(layer, new AttentionQuery(qkv.q(), t, text.numAttentionHeads(), block.positions(),
                    block.mask(), scale, Optional.empty()), out);
        }
        if (!whole) {
            System.arraycopy(out, 0, attention, outOffset, out.length);
        }
    }

    /** Rows {@code [from, to)} of a projection of {@code tokens} rows. */
    private static QkvProjection slice(QkvProjection qkv, int tokens, int from, int to) {
        return new QkvProjection(rows(qkv.q(), tokens, from, to), rows(qkv.k(), tokens, from, to),
                rows(qkv.v(), tokens, from, to));
    }

    private static float[] rows(float[] a, int tokens, int from, int to) {
        int width = a.length / tokens;
        return Arrays.copyOfRange(a, from * width, to * width);
    }

    /**
     * How many candidates a speculative block may hold after its pending token on {@code cache}: unbounded without
     * ZipVL; with it, few enough that the block never completes a re-compression interval, so the cache is
     * re-compressed by a one-token step at the same token as in plain decoding.
     */
    public int draftRoom(KvCache cache) {
        return zipvl.map(z -> Math.max(0, z.decodeInterval() - cache.unsealed(0) - 2)).orElse(Integer.MAX_VALUE);
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
        return prefill(inputs, tokens, positions, cache, chunk, stats -> { });
    }

    /**
     * {@link #prefill(float[], int, int[], KvCache, int)}, reporting what ZipVL did to {@code stats} (nothing is
     * reported for a dense prefill). With ZipVL the prompt is quantized whole at the end (no full-precision window
     * over prompt tokens); a mixed-precision cache without ZipVL gets ZipVL's importance for its bits only.
     */
    public ForwardResult prefill(float[] inputs, int tokens, int[] positions, KvCache cache, int chunk,
                                 java.util.function.Consumer<ZipVlStats> stats) {
        return prefill(inputs, tokens, positions, cache, chunk, PromptPart.CONTEXT, stats);
    }

    /**
     * {@link #prefill(float[], int, int[], KvCache, int, java.util.function.Consumer)} of a given prompt part: a
     * {@link PromptPart#QUESTION} also re-scores the cached context with its rows and, per ZipVL's options, demotes
     * the tokens it finds unimportant.
     */
    public ForwardResult prefill(float[] inputs, int tokens, int[] positions, KvCache cache, int chunk,
                                 PromptPart part, java.util.function.Consumer<ZipVlStats> stats) {
        return prefill(inputs, tokens, positions, cache, chunk, part, stats, () -> { }, VideoSpan.NONE);
    }

    /**
     * {@link #prefill(float[], int, int[], KvCache, int, PromptPart, java.util.function.Consumer)} running
     * {@code betweenChunks} after every chunk but the last (a server steps other answers there, so a long prompt does
     * not stall them; it must not touch {@code cache}). Progressive token dropping removes rows at
     * {@code video} positions only.
     */
    public ForwardResult prefill(float[] inputs, int tokens, int[] positions, KvCache cache, int chunk,
                                 PromptPart part, java.util.function.Consumer<ZipVlStats> stats,
                                 Runnable betweenChunks, VideoSpan video) {
        if (tokens <= 0) {
            throw new IllegalArgumentException("nothing to prefill");
        }
        LayerAttention attention = LayerAttention.prefill(zipvl, cache, text.numHiddenLayers(),
                text.numAttentionHeads(), scale, positions[0], part, video);
        int h = text.hiddenSize();
        ForwardResult last = null;
        for (int start = 0; start < tokens; start += chunk) {
            int n = Math.min(chunk, tokens - start);
            boolean whole = start == 0 && n == tokens;
            float[] block = whole ? inputs : java.util.Arrays.copyOfRange(inputs, start * h, (start + n) * h);
            int[] pos = whole ? positions : java.util.Arrays.copyOfRange(positions, start, start + n);
            last = forward(block, n, pos, cache, LogitRows.LAST, attention);
            if (start + n < tokens) {
                betweenChunks.run();
            }
        }
        attention.finish(cache);
        attention.stats().ifPresent(stats);
        return last;
    }

    /** ZipVL's settings when this decoder runs it. */
    public Optional<ZipVlOptions> zipvl() {
        return zipvl;
    }
}

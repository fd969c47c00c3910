package dev.vlflow.engine;

import dev.vlflow.engine.decode.DraftHead;
import dev.vlflow.engine.model.Checkpoint;
import dev.vlflow.engine.model.ModelConfig;
import dev.vlflow.engine.model.Weights;
import dev.vlflow.engine.onnx.OnnxModel;
import dev.vlflow.engine.runtime.DecoderRunner;
import dev.vlflow.engine.text.TextTokenizer;
import dev.vlflow.kv.CacheShape;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A loaded LLaVA-OneVision model: the plain Java API every caller (CLI, Flink operators, benchmarks) uses.
 *
 * <pre>
 * try (VlModel model = VlModel.load(dir, EngineOptions.defaults())) {
 *     VlSession session = model.openSession();
 *     session.appendFrames(model.encodeFrames(pixels, frames));   // pixels [frames, 3, S, S]
 *     Answer a = session.ask("What colour is the square?", GenerationOptions.greedy(32), listener);
 * }
 * </pre>
 * Thread safety: encoding and sessions may be used from several threads at once as long as each session has one
 * owner; ONNX Runtime sessions are thread-safe for concurrent runs.
 */
public final class VlModel implements AutoCloseable {

    private static final String NEWLINE = "model.image_newline";

    private final Path directory;
    private final Weights weights;
    private final OnnxModel onnx;
    private final TextTokenizer tokenizer;
    private final PromptLayout prompts;
    private final DecoderRunner decoder;
    private final EngineOptions options;
    private final float[] newline; // [hidden]
    private final int[] neverGenerated; // ids masked before sampling
    private final Optional<DraftHead> draftHead; // draft_head.safetensors beside the checkpoint, if any

    private VlModel(Path directory, Weights weights, OnnxModel onnx, TextTokenizer tokenizer, PromptLayout prompts,
                    EngineOptions options, Optional<DraftHead> draftHead) {
        this.directory = directory;
        this.weights = weights;
        this.onnx = onnx;
        this.tokenizer = tokenizer;
        this.prompts = prompts;
        this.options = options;
        this.decoder = new DecoderRunner(onnx, weights, options.zipvl());
        FloatBuffer nl = weights.floats(NEWLINE);
        this.newline = new float[config().text().hiddenSize()];
        nl.get(0, newline);
        this.neverGenerated = neverGenerated(config(), tokenizer);
        this.draftHead = draftHead;
    }

    /** The checkpoint's draft head ({@link DraftHead#FILE}), if it has one. */
    public Optional<DraftHead> draftHead() {
        return draftHead;
    }

    /**
     * Ids an answer never contains: the {@code <image>}/{@code <video>} placeholders and the embedding's padding rows
     * beyond the tokenizer's vocabulary (they decode to nothing).
     */
    private static int[] neverGenerated(ModelConfig config, TextTokenizer tokenizer) {
        int vocab = config.text().vocabSize();
        int known = Math.min(vocab, tokenizer.vocabularySize());
        int[] ids = new int[vocab - known + 2];
        for (int id = known; id < vocab; id++) {
            ids[id - known] = id;
        }
        ids[ids.length - 2] = config.imageTokenId();
        ids[ids.length - 1] = config.videoTokenId();
        return ids;
    }

    /** Sets the logits of ids that are never generated to minus infinity (in place). */
    public void maskUngeneratable(float[] logits) {
        for (int id : neverGenerated) {
            logits[id] = Float.NEGATIVE_INFINITY;
        }
    }

    /** Loads a checkpoint directory (config, safetensors, tokenizer, chat template) and builds its ONNX sessions. */
    public static VlModel load(Path directory, EngineOptions options) {
        Checkpoint checkpoint = Checkpoint.open(directory);
        OnnxModel onnx = null;
        TextTokenizer tokenizer = null;
        try {
            onnx = OnnxModel.build(checkpoint, options.provider(), options.weights());
            tokenizer = TextTokenizer.open(directory);
            PromptLayout prompts = PromptLayout.open(directory, tokenizer, checkpoint.config(), options.systemPrompt());
            Optional<DraftHead> head = DraftHead.load(directory, checkpoint.config().text().hiddenSize());
            return new VlModel(directory, checkpoint, onnx, tokenizer, prompts, options, head);
        } catch (RuntimeException e) {
            if (tokenizer != null) {
                tokenizer.close();
            }
            if (onnx != null) {
                onnx.close();
            }
            checkpoint.close();
            throw e;
        }
    }

    public static VlModel load(Path directory) {
        return load(directory, EngineOptions.defaults());
    }

    public Path directory() {
        return directory;
    }

    public ModelConfig config() {
        return weights.config();
    }

    public EngineOptions options() {
        return options;
    }

    public TextTokenizer tokenizer() {
        return tokenizer;
    }

    /** The dense decoder, for callers that drive forward passes themselves (benchmarks, speculation). */
    public DecoderRunner decoder() {
        return decoder;
    }

    PromptLayout prompts() {
        return prompts;
    }

    /** The {@code image_newline} row closing a video, [hidden]. */
    float[] newline() {
        return newline.clone();
    }

    /** Shape of this model's KV cache. */
    public CacheShape cacheShape() {
        var t = config().text();
        return new CacheShape(t.numHiddenLayers(), t.numKeyValueHeads(), t.headDim());
    }

    /**
     * Encodes preprocessed frames: vision tower, projector, 2x2 bilinear pooling.
     *
     * @param pixels [frames, 3, S, S] normalized as the checkpoint's processor config says
     */
    public FrameEmbeddings encodeFrames(float[] pixels, int frames) {
        return encodeFrames(FloatBuffer.wrap(pixels), frames);
    }

    /**
     * Encodes preprocessed frames held in a buffer (e.g. the vision module's {@code Frames.pixels()}); the buffer's
     * remaining floats are {@code [frames, 3, S, S]}. Frames go through the vision tower in batches of
     * {@link EngineOptions#visionBatch()}.
     */
    public FrameEmbeddings encodeFrames(FloatBuffer pixels, int frames) {
        var v = config().vision();
        int frameFloats = 3 * v.imageSize() * v.imageSize();
        if (frames <= 0 || pixels.remaining() != (long) frames * frameFloats) {
            throw new IllegalArgumentException("pixels hold " + pixels.remaining() + " floats; " + frames
                    + " frames of 3x" + v.imageSize() + "x" + v.imageSize() + " need " + (long) frames * frameFloats);
        }
        int hidden = config().text().hiddenSize();
        int perFrame = v.tokensPerFrame();
        float[] rows = new float[frames * perFrame * hidden];
        int base = pixels.position();
        for (int start = 0; start < frames; start += options.visionBatch()) {
            int n = Math.min(options.visionBatch(), frames - start);
            float[] batch = new float[n * frameFloats];
            pixels.get(base + start * frameFloats, batch);
            float[] pooled = onnx.projectAndPool(onnx.visionFeatures(batch, n), n);
            System.arraycopy(pooled, 0, rows, start * perFrame * hidden, pooled.length);
        }
        return new FrameEmbeddings(rows, frames, perFrame, hidden);
    }

    /** A new conversation with an empty cache. */
    public VlSession openSession() {
        return new VlSession(this, options.kvCache().create(cacheShape()), new SessionState(0, 0));
    }

    /** Restores a session from a cache and its state (e.g. after a restart from a checkpoint). */
    public VlSession resumeSession(dev.vlflow.kv.KvCache cache, SessionState state) {
        if (!cache.shape().equals(cacheShape())) {
            throw new IllegalArgumentException("cache of shape " + cache.shape() + " does not fit model " + cacheShape());
        }
        return new VlSession(this, cache, state);
    }

    @Override
    public void close() {
        tokenizer.close();
        onnx.close();
        weights.close();
    }
}

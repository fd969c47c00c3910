package dev.vlflow.engine.reference;

import dev.vlflow.engine.model.ModelConfig;
import dev.vlflow.engine.model.VisionConfig;
import dev.vlflow.engine.model.Weights;

import java.nio.FloatBuffer;

/**
 * A plain, independent forward pass of a LLaVA-OneVision checkpoint for checking the engine against: scalar Java,
 * float32 activations with double accumulation, no ONNX Runtime, no cache. Written for clarity, not speed; meant for
 * {@code tiny-random}-sized models. Reads only canonical tensor names through {@link Weights}.
 *
 * <p>Typical use (a parity test):
 * <pre>
 *   ReferenceLlava ref = new ReferenceLlava(weights);
 *   float[] video  = ref.videoEmbeddings(pixels, frames);   // [frames * tokensPerFrame + 1, H]
 *   float[] logits = ref.logits(promptIds, video);           // [n, V]; promptIds holds that many video-token ids
 * </pre>
 */
public final class ReferenceLlava {

    private static final String PROJECTOR = "model.multi_modal_projector.";

    private final ModelConfig config;
    private final ShapeCheckedTensors tensors;
    private final ReferenceSiglip vision;
    private final ReferenceQwen2 decoder;

    public ReferenceLlava(Weights weights) {
        this.config = weights.config();
        this.tensors = new ShapeCheckedTensors(weights);
        this.vision = new ReferenceSiglip(weights);
        this.decoder = new ReferenceQwen2(weights);
    }

    public ModelConfig config() {
        return config;
    }

    /**
     * The decoder-ready embeddings of a video: SigLIP features of each frame, the projector
     * ({@code linear_2(gelu(linear_1(x)))}), 2x2 bilinear pooling per frame, then one {@code image_newline} row.
     *
     * @param pixels [frames, numChannels, imageSize, imageSize], normalised (e.g. to [-1, 1])
     * @return [frames * tokensPerFrame + 1, textHidden]; rows frame-major, then pooled row-major; last row = newline
     */
    public float[] videoEmbeddings(float[] pixels, int frames) {
        if (frames <= 0) {
            throw new IllegalArgumentException("frames must be positive, got " + frames);
        }
        VisionConfig v = config.vision();
        int hidden = config.text().hiddenSize();
        int patches = v.numPatches();
        float[] features = vision.features(pixels, frames);              // [F * patches, visionHidden]
        float[] projected = project(features, frames * patches);          // [F * patches, hidden]
        int perFrame = v.tokensPerFrame();
        float[] pooled = BilinearPooling.poolFrames(projected, frames, v.patchesPerSide(), hidden); // [F*perFrame, H]
        float[] out = new float[(frames * perFrame + 1) * hidden];
        System.arraycopy(pooled, 0, out, 0, pooled.length);
        FloatBuffer newline = tensors.get("model.image_newline", hidden);
        newline.get(0, out, frames * perFrame * hidden, hidden);
        return out;
    }

    /**
     * The multimodal projector, {@code linear_2(act(linear_1(x)))} with {@code projector_hidden_act}.
     *
     * @param features [rows, visionHidden]
     * @return [rows, textHidden]
     */
    public float[] project(float[] features, int rows) {
        int in = config.vision().hiddenSize();
        int hidden = config.text().hiddenSize();
        float[] h = ReferenceMath.linearWithBias(features, rows, in,
                tensors.get(PROJECTOR + "linear_1.weight", hidden, in),
                tensors.get(PROJECTOR + "linear_1.bias", hidden), hidden);
        h = ReferenceMath.activation(config.projectorHiddenAct(), h);
        return ReferenceMath.linearWithBias(h, rows, hidden, tensors.get(PROJECTOR + "linear_2.weight", hidden, hidden),
                tensors.get(PROJECTOR + "linear_2.bias", hidden), hidden);
    }

    /**
     * The decoder's input: token embeddings with every {@code videoTokenId} position replaced, in order, by the next
     * row of {@code videoEmbeddings}. The number of video-token ids must equal the number of rows.
     *
     * @param tokenIds        [n]
     * @param videoEmbeddings [videoRows, textHidden]; empty when the prompt has no video tokens
     * @return [n, textHidden]
     */
    public float[] inputEmbeddings(int[] tokenIds, float[] videoEmbeddings) {
        int hidden = config.text().hiddenSize();
        if (videoEmbeddings.length % hidden != 0) {
            throw new IllegalArgumentException("video embeddings of " + videoEmbeddings.length
                    + " floats are not whole rows of width " + hidden);
        }
        int rows = videoEmbeddings.length / hidden;
        int slots = 0;
        for (int id : tokenIds) {
            if (id == config.videoTokenId()) {
                slots++;
            }
        }
        if (slots != rows) {
            throw new IllegalArgumentException("prompt has " + slots + " video tokens (id " + config.videoTokenId()
                    + ") but " + rows + " video embedding rows were given");
        }
        float[] x = decoder.embed(tokenIds);
        int next = 0;
        for (int t = 0; t < tokenIds.length; t++) {
            if (tokenIds[t] == config.videoTokenId()) {
                System.arraycopy(videoEmbeddings, next * hidden, x, t * hidden, hidden);
                next++;
            }
        }
        return x;
    }

    /**
     * The whole decoder pass with per-layer hidden states (see {@link DecoderTrace}).
     *
     * @param tokenIds        [n]
     * @param videoEmbeddings [videoRows, textHidden], as from {@link #videoEmbeddings}; empty for text only
     */
    public DecoderTrace forward(int[] tokenIds, float[] videoEmbeddings) {
        return decoder.forward(inputEmbeddings(tokenIds, videoEmbeddings));
    }

    /**
     * Logits for every position.
     *
     * @param tokenIds        [n]
     * @param videoEmbeddings [videoRows, textHidden]; videoRows = number of video-token ids in {@code tokenIds}
     * @return [n, vocab]
     */
    public float[] logits(int[] tokenIds, float[] videoEmbeddings) {
        return forward(tokenIds, videoEmbeddings).logits();
    }

    /** Logits of a text-only prompt, {@code [n, vocab]}. */
    public float[] logits(int[] tokenIds) {
        return logits(tokenIds, new float[0]);
    }
}

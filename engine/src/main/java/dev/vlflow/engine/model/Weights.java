package dev.vlflow.engine.model;

import java.nio.FloatBuffer;

/**
 * The tensors of a loaded checkpoint, under canonical names (the current Hugging Face layout:
 * {@code model.language_model.*}, {@code model.vision_tower.*}, {@code model.multi_modal_projector.*},
 * {@code model.image_newline}, {@code lm_head.weight}) whatever layout the files use. With tied embeddings,
 * {@code lm_head.weight} resolves to {@code model.language_model.embed_tokens.weight}.
 */
public interface Weights extends AutoCloseable {

    ModelConfig config();

    boolean has(String name);

    /** Shape and stored type; throws a {@link CheckpointException} naming the tensor if absent. */
    TensorInfo info(String name);

    /**
     * The tensor as float32 in native byte order, row-major in its checkpoint shape. For F32 files this is a view
     * of the memory-mapped file (no copy); 16-bit tensors are converted once and cached.
     */
    FloatBuffer floats(String name);

    @Override
    void close();
}

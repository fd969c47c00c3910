package dev.vlflow.engine.onnx;

import java.util.Objects;

/**
 * A decoder layer's attention inputs for a block of tokens, before RoPE.
 *
 * @param q [tokens, heads * headDim]
 * @param k [tokens, kvHeads * headDim]
 * @param v [tokens, kvHeads * headDim]
 */
public record QkvProjection(float[] q, float[] k, float[] v) {
    public QkvProjection {
        Objects.requireNonNull(q, "q");
        Objects.requireNonNull(k, "k");
        Objects.requireNonNull(v, "v");
    }
}

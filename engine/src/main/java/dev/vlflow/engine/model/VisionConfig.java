package dev.vlflow.engine.model;

/**
 * The SigLIP vision tower's configuration ({@code vision_config}).
 */
public record VisionConfig(int hiddenSize, int intermediateSize, int numHiddenLayers, int numAttentionHeads,
                           int patchSize, int imageSize, int numChannels, double layerNormEps, String hiddenAct) {
    public VisionConfig {
        if (hiddenSize <= 0 || intermediateSize <= 0 || numHiddenLayers <= 0 || numAttentionHeads <= 0
                || patchSize <= 0 || imageSize <= 0 || numChannels <= 0) {
            throw new IllegalArgumentException("vision_config sizes must be positive");
        }
        if (imageSize < patchSize) {
            throw new IllegalArgumentException("vision_config: image_size " + imageSize
                    + " is smaller than patch_size " + patchSize);
        }
        if (hiddenSize % numAttentionHeads != 0) {
            throw new IllegalArgumentException("vision_config: hidden_size " + hiddenSize
                    + " is not a multiple of num_attention_heads " + numAttentionHeads);
        }
    }

    /** Patches along one side: 27 for 384 px at patch 14 (the stride-14 convolution drops the last 6 pixels). */
    public int patchesPerSide() {
        return imageSize / patchSize;
    }

    /** Patch tokens per frame: 729 for 384 px at patch 14. */
    public int numPatches() {
        return patchesPerSide() * patchesPerSide();
    }

    /** Side of the 2x2 bilinear-pooled grid: {@code ceil(patchesPerSide / 2)}, 14 for 384 px. */
    public int pooledSide() {
        return (patchesPerSide() + 1) / 2;
    }

    /** Visual tokens a frame contributes to the decoder after pooling: 196 for 384 px. */
    public int tokensPerFrame() {
        return pooledSide() * pooledSide();
    }

    public int headDim() {
        return hiddenSize / numAttentionHeads;
    }
}

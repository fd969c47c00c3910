package dev.vlflow.engine.model;

/**
 * The Qwen2 decoder's configuration ({@code text_config} of a LLaVA-OneVision {@code config.json}).
 */
public record TextConfig(int vocabSize, int hiddenSize, int intermediateSize, int numHiddenLayers,
                         int numAttentionHeads, int numKeyValueHeads, double rmsNormEps, double ropeTheta,
                         int maxPositionEmbeddings, boolean tieWordEmbeddings) {
    public TextConfig {
        if (vocabSize <= 0 || hiddenSize <= 0 || intermediateSize <= 0 || numHiddenLayers <= 0
                || numAttentionHeads <= 0 || numKeyValueHeads <= 0) {
            throw new IllegalArgumentException("text_config sizes must be positive");
        }
        if (hiddenSize % numAttentionHeads != 0) {
            throw new IllegalArgumentException("text_config: hidden_size " + hiddenSize
                    + " is not a multiple of num_attention_heads " + numAttentionHeads);
        }
        if (numAttentionHeads % numKeyValueHeads != 0) {
            throw new IllegalArgumentException("text_config: num_attention_heads " + numAttentionHeads
                    + " is not a multiple of num_key_value_heads " + numKeyValueHeads);
        }
    }

    public int headDim() {
        return hiddenSize / numAttentionHeads;
    }

    /** Query heads that share one KV head. */
    public int groupSize() {
        return numAttentionHeads / numKeyValueHeads;
    }

    /** Width of all KV heads of one token: {@code numKeyValueHeads * headDim}. */
    public int kvWidth() {
        return numKeyValueHeads * headDim();
    }
}

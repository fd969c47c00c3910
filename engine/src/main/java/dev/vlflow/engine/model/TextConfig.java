package dev.vlflow.engine.model;

/**
 * The Qwen2 decoder's configuration ({@code text_config} of a LLaVA-OneVision {@code config.json}).
 *
 * @param ropeLinearFactor linear RoPE scaling ({@code rope_type: linear}): positions are divided by it, i.e. every
 *                         inverse frequency is; 1 for plain RoPE
 */
public record TextConfig(int vocabSize, int hiddenSize, int intermediateSize, int numHiddenLayers,
                         int numAttentionHeads, int numKeyValueHeads, double rmsNormEps, double ropeTheta,
                         int maxPositionEmbeddings, boolean tieWordEmbeddings, double ropeLinearFactor) {

    /** Plain RoPE (no scaling). */
    public TextConfig(int vocabSize, int hiddenSize, int intermediateSize, int numHiddenLayers,
                      int numAttentionHeads, int numKeyValueHeads, double rmsNormEps, double ropeTheta,
                      int maxPositionEmbeddings, boolean tieWordEmbeddings) {
        this(vocabSize, hiddenSize, intermediateSize, numHiddenLayers, numAttentionHeads, numKeyValueHeads,
                rmsNormEps, ropeTheta, maxPositionEmbeddings, tieWordEmbeddings, 1.0);
    }

    public TextConfig {
        if (!(ropeTheta > 0) || !(ropeLinearFactor > 0) || Double.isInfinite(ropeLinearFactor)) {
            throw new IllegalArgumentException("text_config: rope_theta " + ropeTheta + " and linear RoPE factor "
                    + ropeLinearFactor + " must be positive");
        }
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

    /** The same decoder with {@code tieWordEmbeddings} set. */
    public TextConfig withTiedEmbeddings(boolean tied) {
        return new TextConfig(vocabSize, hiddenSize, intermediateSize, numHiddenLayers, numAttentionHeads,
                numKeyValueHeads, rmsNormEps, ropeTheta, maxPositionEmbeddings, tied, ropeLinearFactor);
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

package dev.vlflow.engine.model;

import java.util.List;

/**
 * A LLaVA-OneVision model's configuration: decoder, vision tower and the multimodal glue.
 *
 * @param imageTokenId    id of {@code <image>} ({@code image_token_index})
 * @param videoTokenId    id of {@code <video>} ({@code video_token_index})
 * @param eosTokenIds     ids that end generation ({@code <|im_end|>}, {@code <|endoftext|>})
 * @param projectorHiddenAct activation between the projector's two linears ({@code gelu} = exact erf GELU)
 */
public record ModelConfig(TextConfig text, VisionConfig vision, int imageTokenId, int videoTokenId,
                          List<Integer> eosTokenIds, String projectorHiddenAct) {
    public ModelConfig {
        eosTokenIds = List.copyOf(eosTokenIds);
        if (imageTokenId < 0 || imageTokenId >= text.vocabSize()) {
            throw new IllegalArgumentException("image_token_index " + imageTokenId + " outside vocab of "
                    + text.vocabSize());
        }
        if (videoTokenId < 0 || videoTokenId >= text.vocabSize()) {
            throw new IllegalArgumentException("video_token_index " + videoTokenId + " outside vocab of "
                    + text.vocabSize());
        }
    }

    /** Tokens a {@code <video>} placeholder expands to for {@code frames} frames: one per pooled patch plus the newline. */
    public int videoTokens(int frames) {
        return frames * vision.tokensPerFrame() + 1;
    }
}

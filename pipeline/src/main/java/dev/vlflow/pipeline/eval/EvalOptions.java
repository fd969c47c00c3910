package dev.vlflow.pipeline.eval;

import dev.vlflow.connectors.videomme.PromptStyle;
import java.io.Serializable;
import java.util.Objects;

/**
 * How each video is evaluated.
 *
 * @param frames        frames sampled uniformly per video
 * @param subtitles     put the subtitles aligned to the sampled frames in the prompt
 * @param prompt        prompt wording
 * @param prefixSharing prefill the video once and answer every question on a fork of that cache (else prefill it
 *                      again for each question, as a harness that treats questions independently does)
 * @param maxNewTokens  generation limit (16 in both reference harnesses)
 */
public record EvalOptions(int frames, boolean subtitles, PromptStyle prompt, boolean prefixSharing,
                          int maxNewTokens) implements Serializable {

    private static final long serialVersionUID = 1L;

    public EvalOptions {
        Objects.requireNonNull(prompt, "prompt");
        if (frames <= 0 || maxNewTokens <= 0) {
            throw new IllegalArgumentException("frames and maxNewTokens must be positive");
        }
    }

    public static EvalOptions defaults() {
        return new EvalOptions(32, false, PromptStyle.OFFICIAL, true, 16);
    }
}

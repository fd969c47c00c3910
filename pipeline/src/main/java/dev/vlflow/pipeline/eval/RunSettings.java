package dev.vlflow.pipeline.eval;

import dev.vlflow.connectors.videomme.AnswerExtraction;
import dev.vlflow.connectors.videomme.PromptStyle;
import java.util.Objects;

/**
 * What a run was asked to do, as its report shows it.
 *
 * @param label          a short name for the report's columns (defaults to model, frames and prefix mode)
 * @param model          the model directory's name
 * @param annotations    the annotation file's name
 * @param frames         frames sampled per video (uniform)
 * @param subtitles      whether subtitles were in the prompt
 * @param prompt         prompt wording
 * @param prefixSharing  whether a video's questions shared one prefill of the video
 * @param maxNewTokens   generation limit per answer
 * @param parallelism    videos in flight at once
 * @param runner         {@code flink} (bounded job on a MiniCluster) or {@code plain} (threads over the engine API)
 * @param extraction     whose rule turned replies into letters
 */
public record RunSettings(String label, String model, String annotations, int frames, boolean subtitles,
                          PromptStyle prompt, boolean prefixSharing, int maxNewTokens, int parallelism,
                          String runner, AnswerExtraction extraction) {

    /** With the official extraction. */
    public RunSettings(String label, String model, String annotations, int frames, boolean subtitles,
                       PromptStyle prompt, boolean prefixSharing, int maxNewTokens, int parallelism, String runner) {
        this(label, model, annotations, frames, subtitles, prompt, prefixSharing, maxNewTokens, parallelism, runner,
                AnswerExtraction.OFFICIAL);
    }

    public RunSettings {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(annotations, "annotations");
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(runner, "runner");
        Objects.requireNonNull(extraction, "extraction");
        if (frames <= 0 || maxNewTokens <= 0 || parallelism <= 0) {
            throw new IllegalArgumentException("frames, maxNewTokens and parallelism must be positive");
        }
    }

    /** The default label: model, frames, subtitles and prefix mode. */
    public static String defaultLabel(String model, int frames, boolean subtitles, boolean prefixSharing) {
        return model + " " + frames + "f" + (subtitles ? " +subs" : "") + (prefixSharing ? "" : " no-prefix-sharing");
    }
}

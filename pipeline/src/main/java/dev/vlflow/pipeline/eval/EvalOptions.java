package dev.vlflow.pipeline.eval;

import dev.vlflow.conf.DecodingSpec;
import dev.vlflow.conf.ModelSpec;
import dev.vlflow.conf.ZipVlSpec;
import dev.vlflow.connectors.videomme.AnswerExtraction;
import dev.vlflow.connectors.videomme.PromptStyle;
import dev.vlflow.kv.PrecisionPolicy;
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
 * @param speculation   the drafter (lossless) or layer skipping (lossy) answers are decoded with
 * @param zipvl         ZipVL prefill or dense prefill
 * @param kv            the KV cache's precision as {@code PrecisionPolicy.parse} reads it ({@code fp32}, {@code 16},
 *                      {@code 4}, {@code mixed}, ...); ZipVL's bits are its high and low precision
 * @param weights       the model's weight precision as {@code ModelSpec} names it: {@code fp32}, {@code int8},
 *                      {@code int4}
 * @param extraction    whose rule turns a reply into a letter (default {@link AnswerExtraction#OFFICIAL})
 */
public record EvalOptions(int frames, boolean subtitles, PromptStyle prompt, boolean prefixSharing,
                          int maxNewTokens, DecodingSpec.Speculation speculation, ZipVlSpec zipvl, String kv,
                          String weights, AnswerExtraction extraction) implements Serializable {

    private static final long serialVersionUID = 5L;

    public EvalOptions {
        weights = ModelSpec.weights(weights); // rejects an unknown precision at the edge
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(extraction, "extraction");
        Objects.requireNonNull(speculation, "speculation");
        Objects.requireNonNull(zipvl, "zipvl");
        kv = PrecisionPolicy.parse(kv).label(); // rejects an unknown precision here, at the edge
        if (frames <= 0 || maxNewTokens <= 0) {
            throw new IllegalArgumentException("frames and maxNewTokens must be positive");
        }
        if (zipvl.questionProbes() && prefixSharing) {
            throw new IllegalArgumentException("ZipVL's question probes prefill each question's whole prompt, so "
                    + "questions cannot share a video prefill: add --no-prefix-sharing");
        }
    }

    /** With float32 weights and the official extraction. */
    public EvalOptions(int frames, boolean subtitles, PromptStyle prompt, boolean prefixSharing,
                       int maxNewTokens, DecodingSpec.Speculation speculation, ZipVlSpec zipvl, String kv) {
        this(frames, subtitles, prompt, prefixSharing, maxNewTokens, speculation, zipvl, kv, "fp32",
                AnswerExtraction.OFFICIAL);
    }

    /** Dense prefill, plain greedy decoding, an fp32 cache. */
    public EvalOptions(int frames, boolean subtitles, PromptStyle prompt, boolean prefixSharing, int maxNewTokens) {
        this(frames, subtitles, prompt, prefixSharing, maxNewTokens, DecodingSpec.Speculation.plain(), ZipVlSpec.off(),
                "fp32");
    }

    /** With ZipVL and its usual cache: mixed 4/2 when on, fp32 when off. */
    public EvalOptions withZipVl(ZipVlSpec z) {
        return new EvalOptions(frames, subtitles, prompt, prefixSharing, maxNewTokens, speculation, z,
                z instanceof ZipVlSpec.On ? "mixed" : "fp32", weights, extraction);
    }

    public EvalOptions withKv(String precision) {
        return new EvalOptions(frames, subtitles, prompt, prefixSharing, maxNewTokens, speculation, zipvl, precision, weights,
                extraction);
    }

    public EvalOptions withSpeculation(DecodingSpec.Speculation s) {
        return new EvalOptions(frames, subtitles, prompt, prefixSharing, maxNewTokens, s, zipvl, kv, weights, extraction);
    }

    public EvalOptions withWeights(String precision) {
        return new EvalOptions(frames, subtitles, prompt, prefixSharing, maxNewTokens, speculation, zipvl, kv,
                precision, extraction);
    }

    public EvalOptions withExtraction(AnswerExtraction e) {
        return new EvalOptions(frames, subtitles, prompt, prefixSharing, maxNewTokens, speculation, zipvl, kv,
                weights, e);
    }

    /**
     * lmms-eval's default {@code frame_num}: its {@code videomme_doc_to_text_subtitle} picks the subtitle cues at
     * this many uniform frames whatever the model samples (the official guidance uses the model's own frames).
     */
    public static final int LMMS_EVAL_SUBTITLE_FRAMES = 32;

    /** The model spec of a checkpoint evaluated with these options (CPU, ZipVL and weights from here). */
    public ModelSpec modelSpec(String path) {
        return ModelSpec.cpu(path).withZipVl(zipvl).withWeights(weights);
    }

    public static EvalOptions defaults() {
        return new EvalOptions(32, false, PromptStyle.OFFICIAL, true, 16);
    }
}

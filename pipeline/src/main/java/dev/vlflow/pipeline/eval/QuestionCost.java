package dev.vlflow.pipeline.eval;

/**
 * What one question cost. Video-level figures (frames, encoding, the prefix prefill) are repeated on each of the
 * video's questions; with prefix sharing the prefix figures are the video's single prefill, without it each
 * question's own.
 *
 * @param frames          frames sampled from the video
 * @param contextTokens   tokens in the cache before the question (chat header and video)
 * @param promptTokens    tokens prefilled for the question on top of the context
 * @param generatedTokens tokens generated
 * @param kvBytes         bytes of the question's KV cache at the end (context included)
 * @param decodeMillis    sampling and preprocessing of the video's frames
 * @param encodeMillis    vision tower, projector and pooling over the video's frames
 * @param prefixMillis    prefill of the video prefix this question used
 * @param prefixShared    whether the prefix was computed once for all of the video's questions
 * @param answerMillis    question prefill and generation
 * @param firstTokenMillis from the question to its first generated token
 */
public record QuestionCost(int frames, int contextTokens, int promptTokens, int generatedTokens, long kvBytes,
                           double decodeMillis, double encodeMillis, double prefixMillis, boolean prefixShared,
                           double answerMillis, double firstTokenMillis) {

    public QuestionCost {
        if (frames < 0 || contextTokens < 0 || promptTokens < 0 || generatedTokens < 0 || kvBytes < 0) {
            throw new IllegalArgumentException("costs must be non-negative");
        }
    }
}

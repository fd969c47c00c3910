package dev.vlflow.pipeline.training;

import java.util.Arrays;
import java.util.Objects;

/**
 * One supervised example: a prompt about one video and the answer to learn.
 *
 * @param video      row of the video in the export's pixel file
 * @param videoId    the benchmark's video id
 * @param questionId the question it comes from
 * @param taskType   the question's task type (accuracy is reported per type)
 * @param kind       letter or sentence answer
 * @param variant    0 for the question as the file has it, 1.. for re-ordered options
 * @param form       how the prompt was worded: {@code official}, {@code lmms_eval}, {@code official_subtitles}
 *                   (Video-MME templates), {@code question} (the bare question of a sentence example) or
 *                   {@code lookup} (the official template with the answer sentence before the question)
 * @param promptText the text passed to {@code VlSession.ask} (chat template and video go around it)
 * @param inputIds   the whole prompt as the engine sees it, {@code <video>} expanded to frames x tokensPerFrame + 1
 * @param targetText the answer text
 * @param targetIds  ids of the answer, ending with {@code <|im_end|>}
 * @param answer     the correct letter of the (possibly re-ordered) question
 */
public record TrainingExample(int video, String videoId, String questionId, String taskType, ExampleKind kind,
                              int variant, String form, String promptText, int[] inputIds, String targetText,
                              int[] targetIds, String answer) {

    public TrainingExample {
        Objects.requireNonNull(videoId, "videoId");
        Objects.requireNonNull(questionId, "questionId");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(form, "form");
        Objects.requireNonNull(promptText, "promptText");
        Objects.requireNonNull(targetText, "targetText");
        if (video < 0 || variant < 0 || inputIds.length == 0 || targetIds.length == 0) {
            throw new IllegalArgumentException("an example needs a video, a prompt and a target");
        }
        inputIds = inputIds.clone();
        targetIds = targetIds.clone();
    }

    @Override
    public int[] inputIds() {
        return inputIds.clone();
    }

    @Override
    public int[] targetIds() {
        return targetIds.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TrainingExample e && video == e.video && variant == e.variant && kind == e.kind
                && questionId.equals(e.questionId) && promptText.equals(e.promptText)
                && Arrays.equals(inputIds, e.inputIds) && Arrays.equals(targetIds, e.targetIds);
    }

    @Override
    public int hashCode() {
        return Objects.hash(video, variant, kind, questionId, Arrays.hashCode(inputIds), Arrays.hashCode(targetIds));
    }

    @Override
    public String toString() {
        return "TrainingExample[" + questionId + " " + kind.label() + " v" + variant + ", " + inputIds.length
                + " prompt ids -> " + targetText + "]";
    }
}

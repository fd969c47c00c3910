package dev.vlflow.pipeline.eval;

import dev.vlflow.connectors.videomme.DurationClass;
import dev.vlflow.connectors.videomme.ScoredAnswer;
import java.util.Objects;
import java.util.Optional;

/**
 * One answered question: one line of the predictions JSONL (the progress log a rerun resumes from).
 *
 * @param questionId      the question
 * @param videoId         its video
 * @param duration        the video's duration class
 * @param domain          the video's domain
 * @param subCategory     the video's sub-category
 * @param taskType        the question's task type
 * @param answer          the correct letter
 * @param response        the model's reply
 * @param extracted       the letter the official rule extracts, empty when unparseable
 * @param cost            what answering cost
 */
public record Prediction(String questionId, String videoId, DurationClass duration, String domain,
                         String subCategory, String taskType, String answer, String response,
                         Optional<String> extracted, QuestionCost cost) {

    public Prediction {
        Objects.requireNonNull(questionId, "questionId");
        Objects.requireNonNull(videoId, "videoId");
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(subCategory, "subCategory");
        Objects.requireNonNull(taskType, "taskType");
        Objects.requireNonNull(answer, "answer");
        Objects.requireNonNull(response, "response");
        Objects.requireNonNull(extracted, "extracted");
        Objects.requireNonNull(cost, "cost");
    }

    public boolean correct() {
        return extracted.filter(answer::equals).isPresent();
    }

    public ScoredAnswer scored() {
        return new ScoredAnswer(duration, domain, subCategory, taskType, answer, extracted);
    }
}

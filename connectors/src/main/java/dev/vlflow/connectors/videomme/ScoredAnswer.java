package dev.vlflow.connectors.videomme;

import java.util.Objects;
import java.util.Optional;

/**
 * What scoring needs of one answered question.
 *
 * @param duration    the video's duration class
 * @param domain      the video's domain
 * @param subCategory the video's sub-category
 * @param taskType    the question's task type
 * @param answer      the correct letter
 * @param extracted   the letter extracted from the reply, empty when unparseable
 */
public record ScoredAnswer(DurationClass duration, String domain, String subCategory, String taskType, String answer,
                           Optional<String> extracted) {

    public ScoredAnswer {
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(subCategory, "subCategory");
        Objects.requireNonNull(taskType, "taskType");
        Objects.requireNonNull(answer, "answer");
        Objects.requireNonNull(extracted, "extracted");
    }

    public static ScoredAnswer of(VideoMmeVideo video, VideoMmeQuestion question, String reply) {
        return new ScoredAnswer(video.duration(), video.domain(), video.subCategory(), question.taskType(),
                question.answer(), AnswerExtractor.extract(reply));
    }

    public boolean correct() {
        return extracted.filter(answer::equals).isPresent();
    }

    /** This question's contribution under a rule. */
    public Tally tally(ScoreRule rule) {
        return rule.counts(extracted.isPresent()) ? new Tally(correct() ? 1 : 0, 1) : Tally.ZERO;
    }
}

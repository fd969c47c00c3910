package dev.vlflow.connectors.videomme;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One four-choice question about a video.
 *
 * @param questionId     e.g. {@code 001-1}
 * @param taskType       one of the 12 task types (e.g. {@code Counting Problem}); free text is accepted
 * @param question       the question text
 * @param options        the choices as the files hold them, letter prefix included ({@code "A. Three."})
 * @param answer         the correct letter ({@code A}..{@code D})
 * @param answerSentence the answer as a sentence, where the file has one (the project's synthetic set does)
 */
public record VideoMmeQuestion(String questionId, String taskType, String question, List<String> options,
                               String answer, Optional<String> answerSentence) {

    public VideoMmeQuestion {
        Objects.requireNonNull(questionId, "questionId");
        Objects.requireNonNull(taskType, "taskType");
        Objects.requireNonNull(question, "question");
        Objects.requireNonNull(answerSentence, "answerSentence");
        options = List.copyOf(options);
        if (options.isEmpty()) {
            throw new IllegalArgumentException("question " + questionId + " has no options");
        }
        if (answer == null || answer.length() != 1 || answer.charAt(0) < 'A'
                || answer.charAt(0) >= 'A' + options.size()) {
            throw new IllegalArgumentException("question " + questionId + " has answer '" + answer
                    + "', expected a letter among its " + options.size() + " options");
        }
    }

    public VideoMmeQuestion(String questionId, String taskType, String question, List<String> options, String answer) {
        this(questionId, taskType, question, options, answer, Optional.empty());
    }

    /** Index of the correct option (0 for A). */
    public int answerIndex() {
        return answer.charAt(0) - 'A';
    }
}

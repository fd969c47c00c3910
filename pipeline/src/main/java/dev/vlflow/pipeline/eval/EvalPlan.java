package dev.vlflow.pipeline.eval;

import dev.vlflow.connectors.videomme.AnnotationReader;
import dev.vlflow.connectors.videomme.Annotations;
import dev.vlflow.connectors.videomme.VideoMmeQuestion;
import dev.vlflow.connectors.videomme.VideoMmeVideo;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a run has to do: the annotation set (limited), the predictions log, and the videos not yet in it.
 *
 * @param annotations the questions of this run
 * @param log         the open predictions log
 * @param todo        videos whose questions are not all logged yet, in file order
 */
public record EvalPlan(Annotations annotations, PredictionLog log, List<VideoMmeVideo> todo) implements AutoCloseable {

    public static final String PREDICTIONS = "predictions.jsonl";

    public static EvalPlan open(EvalRequest request) {
        Annotations all = AnnotationReader.readFile(request.annotations()).onlyTaskTypes(request.taskTypes());
        Annotations annotations = request.limit().isPresent() ? all.limitQuestions(request.limit().getAsInt()) : all;
        PredictionLog log = PredictionLog.open(request.out().resolve(PREDICTIONS));
        List<VideoMmeVideo> todo = annotations.videos().stream().filter(v -> !log.hasAll(ids(v))).toList();
        return new EvalPlan(annotations, log, todo);
    }

    /** Questions still to answer. */
    public int todoQuestions() {
        return todo.stream().mapToInt(v -> v.questions().size()).sum();
    }

    /** Logged predictions of this run's questions, in annotation order. */
    public List<Prediction> predictions() {
        Set<String> wanted = annotations.videos().stream().flatMap(v -> v.questions().stream())
                .map(VideoMmeQuestion::questionId).collect(Collectors.toSet());
        return log.predictions().stream().filter(p -> wanted.contains(p.questionId())).toList();
    }

    /** Closes the predictions log. */
    @Override
    public void close() {
        log.close();
    }

    static Set<String> ids(VideoMmeVideo v) {
        return v.questions().stream().map(VideoMmeQuestion::questionId).collect(Collectors.toSet());
    }
}

package dev.vlflow.pipeline.eval;

import dev.vlflow.connectors.videomme.AnnotationReader;
import dev.vlflow.connectors.videomme.Annotations;
import dev.vlflow.connectors.videomme.VideoMmeQuestion;
import dev.vlflow.connectors.videomme.VideoMmeVideo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
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

    /**
     * Checks the output directory's earlier run against this request ({@link RunHeader}): the same run resumes, another
     * one is refused with the differences named (or deleted first under {@link EvalRequest.ExistingRun#OVERWRITE}).
     */
    public static EvalPlan open(EvalRequest request) {
        claimOutput(request);
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

    /** The files a run writes into its output directory (what {@code --overwrite} deletes). */
    static final List<String> RUN_FILES = List.of(RunHeader.FILE, PREDICTIONS, EvalOutputs.RESULTS, EvalOutputs.SUMMARY,
            "report.md", "report.html");

    static void claimOutput(EvalRequest request) {
        Path out = request.out();
        RunHeader now = RunHeader.of(request);
        if (request.existing() == EvalRequest.ExistingRun.OVERWRITE) {
            for (String name : RUN_FILES) {
                try {
                    Files.deleteIfExists(out.resolve(name));
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot delete " + out.resolve(name), e);
                }
            }
        } else if (Files.exists(out.resolve(RunHeader.FILE))) {
            List<String> differences = RunHeader.read(out).differences(now);
            if (!differences.isEmpty()) {
                throw new IllegalArgumentException(out + " holds another run (" + String.join("; ", differences)
                        + "); pass --overwrite to delete it and start afresh, or choose another --out");
            }
            return;
        } else if (hasPredictions(out.resolve(PREDICTIONS))) {
            throw new IllegalArgumentException(out + " holds " + PREDICTIONS + " without " + RunHeader.FILE
                    + " (an older vlflow's run), so whether it is this run cannot be told; pass --overwrite to delete"
                    + " it and start afresh, or choose another --out");
        }
        now.write(out);
    }

    private static boolean hasPredictions(Path log) {
        try {
            return Files.isRegularFile(log) && Files.size(log) > 0;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + log, e);
        }
    }

    static Set<String> ids(VideoMmeVideo v) {
        return v.questions().stream().map(VideoMmeQuestion::questionId).collect(Collectors.toSet());
    }
}

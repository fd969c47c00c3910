package dev.vlflow.pipeline.eval;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * One evaluation run as the command line asks for it.
 *
 * @param annotations the official JSON or the Hugging Face parquet
 * @param videos      directory of the video files
 * @param subtitleDir where the {@code .srt} files are, when not next to the videos or in a sibling {@code subtitle/}
 * @param model       checkpoint directory
 * @param options     per-video evaluation settings
 * @param limit       evaluate only the first N questions
 * @param out         output directory (predictions log, results file, report, summary)
 * @param parallelism videos evaluated at once
 * @param label       the run's name in reports (empty: model, frames and prefix mode)
 * @param taskTypes   evaluate only questions of these task types (empty: all); applied before {@code limit}
 * @param existing    what to do with an earlier run in {@code out}: resume it when it is the same run (else refuse),
 *                    or delete its files and start afresh
 */
public record EvalRequest(Path annotations, Path videos, Optional<Path> subtitleDir, Path model, EvalOptions options,
                          OptionalInt limit, Path out, int parallelism, Optional<String> label, Set<String> taskTypes,
                          ExistingRun existing) {

    /** What a run does with the files of an earlier run in its output directory. */
    public enum ExistingRun {
        /** Resume when model, data set and every answer-changing setting match its {@link RunHeader}; else refuse. */
        RESUME_IF_SAME,
        /** Delete the earlier run's files and start afresh ({@code --overwrite}). */
        OVERWRITE
    }

    /** A request over every task type. */
    public EvalRequest(Path annotations, Path videos, Optional<Path> subtitleDir, Path model, EvalOptions options,
                       OptionalInt limit, Path out, int parallelism, Optional<String> label) {
        this(annotations, videos, subtitleDir, model, options, limit, out, parallelism, label, Set.of());
    }

    /** A request that resumes only the same run. */
    public EvalRequest(Path annotations, Path videos, Optional<Path> subtitleDir, Path model, EvalOptions options,
                       OptionalInt limit, Path out, int parallelism, Optional<String> label, Set<String> taskTypes) {
        this(annotations, videos, subtitleDir, model, options, limit, out, parallelism, label, taskTypes,
                ExistingRun.RESUME_IF_SAME);
    }

    public EvalRequest {
        Objects.requireNonNull(annotations, "annotations");
        Objects.requireNonNull(videos, "videos");
        Objects.requireNonNull(subtitleDir, "subtitleDir");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(limit, "limit");
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(existing, "existing");
        taskTypes = Set.copyOf(taskTypes);
        if (parallelism <= 0) {
            throw new IllegalArgumentException("parallelism must be positive, got " + parallelism);
        }
    }

    /** The settings a report shows for this request run by {@code runner}. */
    public RunSettings settings(String runner) {
        String modelName = model.toAbsolutePath().normalize().getFileName().toString();
        return new RunSettings(label.orElse(RunSettings.defaultLabel(modelName, options.frames(), options.subtitles(),
                options.prefixSharing())), modelName, annotations.getFileName().toString(), options.frames(),
                options.subtitles(), options.prompt(), options.prefixSharing(), options.maxNewTokens(), parallelism,
                runner, options.extraction());
    }
}

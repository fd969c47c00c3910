package dev.vlflow.pipeline.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.vlflow.connectors.videomme.AnnotationWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The files a run leaves in its output directory:
 * <pre>
 * predictions.jsonl   one line per question (the progress log; see {@link PredictionJson})
 * results.json        the official format with every answered question's "response" filled
 * summary.json        {@link RunSummaryJson}
 * report.md/.html     {@link EvalReport} of this run
 * </pre>
 */
public final class EvalOutputs {

    public static final String RESULTS = "results.json";
    public static final String SUMMARY = "summary.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private EvalOutputs() {
    }

    /** Scores what the log holds for this run's questions and writes every output file. */
    public static RunResult write(EvalPlan plan, RunSettings settings, Path out, Invocation thisRun,
                                  List<String> failures) {
        List<Prediction> predictions = plan.predictions();
        RunResult result = new RunResult(settings, predictions, RunStats.of(predictions, thisRun), failures);
        Map<String, String> responses = new LinkedHashMap<>();
        predictions.forEach(p -> responses.put(p.questionId(), p.response()));
        AnnotationWriter.writeResultsJson(plan.annotations(), responses, out.resolve(RESULTS));
        try {
            JSON.writeValue(out.resolve(SUMMARY).toFile(), RunSummaryJson.of(result));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + out.resolve(SUMMARY), e);
        }
        new EvalReport(List.of(result)).write(out);
        return result;
    }

    /** Reloads a finished run from its output directory (for reports comparing runs). */
    public static RunResult load(Path out) {
        Path summaryFile = out.resolve(SUMMARY);
        if (!Files.isRegularFile(summaryFile)) {
            throw new IllegalArgumentException(out + " holds no " + SUMMARY + " (not a finished eval run)");
        }
        try {
            JsonNode summary = JSON.readTree(summaryFile.toFile());
            List<Prediction> predictions;
            try (PredictionLog log = PredictionLog.open(out.resolve(EvalPlan.PREDICTIONS))) {
                predictions = log.predictions();
            }
            List<String> failures = new ArrayList<>();
            summary.path("failures").forEach(f -> failures.add(f.asText()));
            return new RunResult(RunSummaryJson.settings(summary), predictions,
                    RunSummaryJson.stats(summary, predictions), failures);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + summaryFile, e);
        }
    }
}

package dev.vlflow.pipeline.eval;

import dev.vlflow.connectors.videomme.ScoreRule;
import dev.vlflow.connectors.videomme.Scoreboard;
import java.util.List;
import java.util.Objects;

/**
 * A finished run: what it was, what it answered, what it cost; scoreboards under both rules are derived.
 *
 * @param settings    the run's settings
 * @param predictions its predictions (the annotation set's questions that were answered)
 * @param stats       throughput and KV figures
 * @param failures    videos that could not be evaluated, with why
 */
public record RunResult(RunSettings settings, List<Prediction> predictions, RunStats stats, List<String> failures) {

    public RunResult {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(stats, "stats");
        predictions = List.copyOf(predictions);
        failures = List.copyOf(failures);
    }

    public Scoreboard score(ScoreRule rule) {
        return Scoreboard.of(rule, predictions.stream().map(Prediction::scored).toList());
    }

    public Scoreboard official() {
        return score(ScoreRule.OFFICIAL);
    }

    public Scoreboard lmmsEval() {
        return score(ScoreRule.LMMS_EVAL);
    }

    /** Replies with no extractable letter. */
    public long unparseable() {
        return predictions.stream().filter(p -> p.extracted().isEmpty()).count();
    }
}

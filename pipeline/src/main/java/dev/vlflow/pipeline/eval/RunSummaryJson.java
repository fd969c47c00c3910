package dev.vlflow.pipeline.eval;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vlflow.connectors.videomme.AnswerExtraction;
import dev.vlflow.connectors.videomme.DurationClass;
import dev.vlflow.connectors.videomme.PromptStyle;
import dev.vlflow.connectors.videomme.Scoreboard;
import dev.vlflow.connectors.videomme.Tally;
import java.util.List;

/**
 * The run summary: the {@code --json} line and {@code summary.json}. Accuracies are percentages (0-100), as both
 * reference scorers print them. Keys: {@code questions}, {@code accuracy} (= the official rule),
 * {@code accuracy_official}, {@code accuracy_lmms_eval}, {@code answered_official}, {@code unparseable},
 * {@code accuracy_<duration>_official|_lmms_eval}, {@code questions_per_minute}, {@code prefix_sharing},
 * {@code prefix_prefills}, {@code prefix_tokens_computed}, {@code prefix_tokens_reused}, KV and timing figures, and
 * the settings (under {@code settings}) from which {@link #settings} rebuilds them.
 */
public final class RunSummaryJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private RunSummaryJson() {
    }

    public static ObjectNode of(RunResult r) {
        Scoreboard off = r.official();
        Scoreboard lmms = r.lmmsEval();
        RunStats s = r.stats();
        ObjectNode o = JSON.createObjectNode();
        o.put("questions", r.predictions().size());
        o.put("videos", r.predictions().stream().map(Prediction::videoId).distinct().count());
        o.put("accuracy", pct(off.overall()));
        o.put("accuracy_official", pct(off.overall()));
        o.put("accuracy_lmms_eval", pct(lmms.overall()));
        o.put("answered_official", off.overall().answered());
        o.put("unparseable", r.unparseable());
        for (DurationClass d : DurationClass.values()) {
            if (off.byDuration().containsKey(d)) {
                o.put("accuracy_" + d.label() + "_official", pct(off.byDuration().get(d)));
                o.put("accuracy_" + d.label() + "_lmms_eval", pct(lmms.byDuration().get(d)));
            }
        }
        o.put("questions_this_run", s.thisRun().questions());
        o.put("videos_this_run", s.thisRun().videos());
        o.put("prefix_prefill_calls_this_run", s.thisRun().prefixPrefills());
        o.put("eval_s", round(s.thisRun().evalSeconds()));
        o.put("wall_s", round(s.thisRun().wallSeconds()));
        o.put("questions_per_minute", round(s.questionsPerMinute()));
        o.put("prefix_sharing", r.settings().prefixSharing());
        o.put("prefix_prefills", s.prefixPrefills());
        o.put("prefix_tokens_computed", s.prefixTokensComputed());
        o.put("prefix_tokens_reused", s.prefixTokensReused());
        o.put("mean_context_tokens", round(s.meanContextTokens()));
        o.put("mean_prompt_tokens", round(s.meanPromptTokens()));
        o.put("mean_generated_tokens", round(s.meanGeneratedTokens()));
        o.put("mean_kv_bytes", Math.round(s.meanKvBytes()));
        o.put("max_kv_bytes", s.maxKvBytes());
        o.put("decode_s", round(s.decodeSeconds()));
        o.put("encode_s", round(s.encodeSeconds()));
        o.put("prefix_s", round(s.prefixSeconds()));
        o.put("answer_s", round(s.answerSeconds()));
        o.put("failed_videos", r.failures().size());
        ObjectNode set = o.putObject("settings");
        RunSettings rs = r.settings();
        set.put("label", rs.label());
        set.put("model", rs.model());
        set.put("annotations", rs.annotations());
        set.put("frames", rs.frames());
        set.put("subtitles", rs.subtitles());
        set.put("prompt", rs.prompt().name());
        set.put("prefix_sharing", rs.prefixSharing());
        set.put("max_new_tokens", rs.maxNewTokens());
        set.put("parallelism", rs.parallelism());
        set.put("runner", rs.runner());
        set.put("extraction", rs.extraction().label());
        var failures = o.putArray("failures");
        r.failures().forEach(failures::add);
        return o;
    }

    public static String line(RunResult r) {
        try {
            return JSON.writeValueAsString(of(r));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Settings of a saved summary. */
    public static RunSettings settings(JsonNode summary) {
        JsonNode s = summary.path("settings");
        return new RunSettings(s.path("label").asText(), s.path("model").asText(), s.path("annotations").asText(),
                s.path("frames").asInt(), s.path("subtitles").asBoolean(), PromptStyle.valueOf(s.path("prompt")
                .asText()), s.path("prefix_sharing").asBoolean(), s.path("max_new_tokens").asInt(),
                s.path("parallelism").asInt(), s.path("runner").asText(),
                AnswerExtraction.parse(s.path("extraction").asText("official")));
    }

    /** This invocation's counts and wall time from a saved summary. */
    public static RunStats stats(JsonNode summary, List<Prediction> predictions) {
        return RunStats.of(predictions, new Invocation(summary.path("questions_this_run").asInt(),
                summary.path("videos_this_run").asInt(), summary.path("prefix_prefill_calls_this_run").asInt(),
                summary.path("eval_s").asDouble(), summary.path("wall_s").asDouble()));
    }

    static double pct(Tally t) {
        return round(t.percent());
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}

package dev.vlflow.pipeline.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vlflow.connectors.videomme.AnnotationReader;
import dev.vlflow.connectors.videomme.PromptStyle;
import dev.vlflow.engine.VlModel;
import dev.vlflow.engine.model.make.ModelMaker;
import dev.vlflow.engine.model.make.ModelPreset;
import dev.vlflow.pipeline.dataset.SyntheticVideoMme;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The evaluation end to end on a 3-video synthetic set and the tiny-random model: the bounded Flink job on a
 * MiniCluster (2 slots) writes every output and prefills each video's prefix once; the plain runner without prefix
 * sharing prefills once per question and gives the same answers token for token; a rerun resumes (evaluates
 * nothing new).
 */
class EvalEndToEndTest {

    private static final int FRAMES = 4;

    @TempDir
    static Path dir;
    private static SyntheticVideoMme.Written data;
    private static Path model;
    private static final PrintStream QUIET = new PrintStream(java.io.OutputStream.nullOutputStream());

    @BeforeAll
    static void makeModelAndData() {
        model = ModelMaker.make(ModelMaker.Request.of(ModelPreset.TINY_RANDOM, dir.resolve("model"))).directory();
        data = SyntheticVideoMme.write(dir.resolve("data"), 3, 5, new SyntheticVideoMme.Format(64, 64, 4));
    }

    private static EvalRequest request(Path annotations, String out, boolean sharing) {
        return new EvalRequest(annotations, data.dir().resolve("video"), Optional.empty(), model,
                new EvalOptions(FRAMES, true, PromptStyle.OFFICIAL, sharing, 16), OptionalInt.empty(),
                dir.resolve(out), 2, Optional.empty());
    }

    @Test
    void flinkJobSharesThePrefixAndPlainRunnerWithoutSharingAgrees() throws Exception {
        RunResult shared = new FlinkEvalJob(new VisionFrameSamplers(), QUIET).run(request(data.parquet(), "flink",
                true));
        assertEquals(9, shared.predictions().size());
        assertEquals(List.of(), shared.failures());
        // the prefix is computed once per video: 3 appendFrames calls for 9 questions
        Invocation run = shared.stats().thisRun();
        assertEquals(List.of(9, 3, 3), List.of(run.questions(), run.videos(), run.prefixPrefills()));
        assertTrue(run.evalSeconds() > 0 && run.evalSeconds() <= run.wallSeconds(), run.toString());
        assertEquals(3, shared.stats().prefixPrefills());
        int tokensPerFrame;
        try (VlModel m = VlModel.load(model)) {
            tokensPerFrame = m.config().vision().tokensPerFrame();
        }
        Map<String, Integer> contextByVideo = new HashMap<>();
        for (Prediction p : shared.predictions()) {
            // every question of a video sees the same cached context, which holds the video's frames
            assertEquals(contextByVideo.computeIfAbsent(p.videoId(), k -> p.cost().contextTokens()),
                    p.cost().contextTokens());
            assertTrue(p.cost().contextTokens() >= FRAMES * tokensPerFrame, p.toString());
            assertTrue(p.cost().generatedTokens() >= 1 && p.cost().generatedTokens() <= 16, p.toString());
        }
        assertEquals(shared.stats().prefixTokensReused(), 2L * contextByVideo.values().stream()
                .mapToInt(Integer::intValue).sum());

        RunResult unshared;
        try (VlModel m = VlModel.load(model)) {
            unshared = new PlainEvalRunner(new VisionFrameSamplers(), QUIET).run(request(data.officialJson(), "plain",
                    false), m);
        }
        assertEquals(9, unshared.stats().thisRun().prefixPrefills(), "one prefill per question without sharing");
        assertEquals(responses(shared), responses(unshared), "sharing the prefix must not change any answer");
        assertEquals(shared.official(), unshared.official());
        assertEquals(shared.lmmsEval(), unshared.lmmsEval());

        assertOutputs(dir.resolve("flink"), shared);

        RunResult resumed = new FlinkEvalJob(new VisionFrameSamplers(), QUIET).run(request(data.parquet(), "flink",
                true));
        assertEquals(0, resumed.stats().thisRun().videos(), "a rerun skips the videos already in the log");
        assertEquals(responses(shared), responses(resumed));
    }

    @Test
    void zipVlQuestionProbesPrefillEachWholePromptAndNeedNoPrefixSharing() throws Exception {
        dev.vlflow.conf.ZipVlSpec question = dev.vlflow.conf.ZipVlSpec.defaults().withQuestionProbes(true);
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new EvalOptions(FRAMES, false, PromptStyle.OFFICIAL, true, 16).withZipVl(question));
        assertTrue(e.getMessage().contains("--no-prefix-sharing"), e.getMessage());
        EvalOptions options = new EvalOptions(FRAMES, false, PromptStyle.OFFICIAL, false, 16).withZipVl(question);
        EvalRequest request = new EvalRequest(data.officialJson(), data.dir().resolve("video"), Optional.empty(),
                model, options, OptionalInt.empty(), dir.resolve("question-probes"), 1, Optional.empty());
        RunResult r;
        try (VlModel m = VlModel.load(model, dev.vlflow.operators.model.EngineSettings.engineOptions(
                options.modelSpec(model.toString())))) {
            r = new PlainEvalRunner(new VisionFrameSamplers(), QUIET).run(request, m);
            for (Prediction p : r.predictions()) {
                // nothing cached before the question: the prompt holds header, frames, newline and question
                assertEquals(0, p.cost().contextTokens(), p.toString());
                assertTrue(p.cost().promptTokens() > FRAMES * m.config().vision().tokensPerFrame(), p.toString());
            }
        }
        assertEquals(9, r.predictions().size());
        assertEquals(9, r.stats().thisRun().prefixPrefills(), "one whole-prompt prefill per question");
    }

    private static void assertOutputs(Path out, RunResult r) throws Exception {
        assertEquals(9, Files.readAllLines(out.resolve("predictions.jsonl")).size());
        // the official results file: the annotation structure with every question's response filled
        JsonNode results = new ObjectMapper().readTree(out.resolve("results.json").toFile());
        assertEquals(3, results.size());
        Map<String, String> byId = responses(r);
        for (JsonNode v : results) {
            assertTrue(v.has("video_subcategory") && v.has("duration_category"));
            for (JsonNode q : v.get("questions")) {
                assertEquals(byId.get(q.get("question_id").asText()), q.get("response").asText());
            }
        }
        assertEquals(AnnotationReader.readFile(data.officialJson()).videos(),
                AnnotationReader.readFile(out.resolve("results.json")).videos());
        JsonNode summary = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        for (String key : List.of("questions", "accuracy", "accuracy_official", "accuracy_lmms_eval",
                "questions_per_minute", "prefix_prefills", "prefix_tokens_reused")) {
            assertTrue(summary.has(key), key);
        }
        assertEquals(r.official().overall().percent(), summary.get("accuracy").asDouble(), 0.005);
        assertTrue(Files.readString(out.resolve("report.md")).contains("## Per task type"));
        assertTrue(Files.readString(out.resolve("report.html")).contains("<svg"));
        RunResult reloaded = EvalOutputs.load(out);
        assertEquals(r.official(), reloaded.official());
        assertEquals(r.settings(), reloaded.settings());
    }

    private static Map<String, String> responses(RunResult r) {
        Map<String, String> m = new HashMap<>();
        r.predictions().forEach(p -> m.put(p.questionId(), p.response()));
        return m;
    }
}

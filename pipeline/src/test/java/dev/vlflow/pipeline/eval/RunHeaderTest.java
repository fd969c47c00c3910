package dev.vlflow.pipeline.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vlflow.conf.DecodingSpec;
import dev.vlflow.connectors.videomme.AnswerExtraction;
import dev.vlflow.connectors.videomme.PromptStyle;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Resume only the same run: the header recorded in --out against the request, difference by difference. No model
 * runs: the header reads only the model directory's config and weight files and the annotation file.
 */
class RunHeaderTest {

    @TempDir
    Path dir;
    private Path model;
    private Path annotations;
    private Path out;

    @BeforeEach
    void files() throws IOException {
        model = Files.createDirectories(dir.resolve("tiny"));
        Files.writeString(model.resolve("config.json"), "{\"model_type\": \"llava_onevision\"}");
        Files.write(model.resolve("model.safetensors"), new byte[] {1, 2, 3, 4});
        annotations = dir.resolve("videomme.json");
        Files.writeString(annotations, "[{\"video_id\": \"001\"}]");
        out = dir.resolve("out");
    }

    private EvalRequest request(UnaryOperator<EvalOptions> edit, EvalRequest.ExistingRun existing) {
        EvalOptions options = edit.apply(new EvalOptions(4, false, PromptStyle.OFFICIAL, true, 16));
        return new EvalRequest(annotations, dir.resolve("video"), Optional.empty(), model, options,
                OptionalInt.empty(), out, 1, Optional.empty(), Set.of(), existing);
    }

    private EvalRequest request(UnaryOperator<EvalOptions> edit) {
        return request(edit, EvalRequest.ExistingRun.RESUME_IF_SAME);
    }

    private String refused(EvalRequest r) {
        return assertThrows(IllegalArgumentException.class, () -> EvalPlan.claimOutput(r)).getMessage();
    }

    @Test
    void theSameRunResumesAndTheHeaderRoundTrips() {
        EvalPlan.claimOutput(request(o -> o));
        assertTrue(Files.isRegularFile(out.resolve(RunHeader.FILE)));
        RunHeader recorded = RunHeader.read(out);
        assertEquals(RunHeader.of(request(o -> o)), recorded);
        assertEquals(List.of(), recorded.differences(RunHeader.of(request(o -> o))));
        EvalPlan.claimOutput(request(o -> o)); // no exception: resumes
        // settings that do not change answers do not block a resume: prefix sharing, a lossless drafter
        EvalPlan.claimOutput(request(o -> new EvalOptions(4, false, PromptStyle.OFFICIAL, false, 16)
                .withSpeculation(new DecodingSpec.Speculation(DecodingSpec.Drafter.PROMPT_LOOKUP, 8, 3, 2, List.of(),
                        List.of(), 1))));
    }

    @Test
    void anotherSettingIsRefusedByName() {
        EvalPlan.claimOutput(request(o -> o));
        String m = refused(request(o -> new EvalOptions(8, false, PromptStyle.OFFICIAL, true, 16)));
        assertTrue(m.contains("holds another run (frames: recorded 4, this run 8)"), m);
        assertTrue(m.contains("--overwrite"), m);
        m = refused(request(o -> new EvalOptions(4, true, PromptStyle.LMMS_EVAL, true, 16)));
        assertTrue(m.contains("subtitles: recorded false, this run true; prompt: recorded OFFICIAL, this run LMMS_EVAL"),
                m);
        m = refused(request(o -> o.withExtraction(AnswerExtraction.LMMS_EVAL_2026)));
        assertTrue(m.contains("extraction: recorded official, this run lmms-eval-2026"), m);
        m = refused(request(o -> o.withKv("4").withWeights("int8")));
        assertTrue(m.contains("kv: recorded fp32, this run 4") && m.contains("weights: recorded fp32, this run int8"), m);
        m = refused(request(o -> o.withSpeculation(new DecodingSpec.Speculation(DecodingSpec.Drafter.NONE, 0, 3, 2,
                List.of(), List.of(), 2))));
        assertTrue(m.contains("lossy decoding: recorded none, this run uls-speedup 2"), m);
    }

    @Test
    void anotherModelOrDataSetUnderTheSameNamesIsRefused() throws IOException {
        EvalPlan.claimOutput(request(o -> o));
        Files.write(model.resolve("model.safetensors"), new byte[] {9, 9, 9, 9}); // e.g. tiny-trained over tiny-random
        String m = refused(request(o -> o));
        assertTrue(m.contains("model weights/config: recorded fingerprint"), m);
        assertFalse(m.contains("annotation"), m);
        Files.write(model.resolve("model.safetensors"), new byte[] {1, 2, 3, 4});
        Files.writeString(annotations, "[{\"video_id\": \"002\"}]"); // another seed's synthetic set, same ids
        m = refused(request(o -> o));
        assertTrue(m.contains("annotation file content: recorded sha256"), m);
    }

    @Test
    void overwriteDeletesTheEarlierRunAndRecordsTheNewOne() throws IOException {
        EvalPlan.claimOutput(request(o -> o));
        Files.writeString(out.resolve(EvalPlan.PREDICTIONS), "{\"question_id\": \"001-1\"}\n");
        Files.writeString(out.resolve(EvalOutputs.RESULTS), "[]");
        EvalPlan.claimOutput(request(o -> new EvalOptions(8, false, PromptStyle.OFFICIAL, true, 16),
                EvalRequest.ExistingRun.OVERWRITE));
        assertFalse(Files.exists(out.resolve(EvalPlan.PREDICTIONS)));
        assertFalse(Files.exists(out.resolve(EvalOutputs.RESULTS)));
        assertEquals(8, RunHeader.read(out).frames());
        EvalPlan.claimOutput(request(o -> new EvalOptions(8, false, PromptStyle.OFFICIAL, true, 16)));
    }

    @Test
    void predictionsWithoutAHeaderAreRefused() throws IOException {
        Files.createDirectories(out);
        Files.writeString(out.resolve(EvalPlan.PREDICTIONS), "{\"question_id\": \"001-1\"}\n");
        String m = refused(request(o -> o));
        assertTrue(m.contains("holds predictions.jsonl without run.json"), m);
        Files.writeString(out.resolve(RunHeader.FILE), "{\"format\": 99}");
        m = refused(request(o -> o));
        assertTrue(m.contains("has format 99; this vlflow reads format 1"), m);
    }
}

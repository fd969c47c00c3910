package dev.vlflow.pipeline.training;


import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vlflow.cli.Main;
import dev.vlflow.connectors.videomme.AnnotationReader;
import dev.vlflow.connectors.videomme.PromptStyle;
import dev.vlflow.connectors.videomme.VideoMmeFiles;
import dev.vlflow.connectors.videomme.VideoMmeVideo;
import dev.vlflow.engine.VlModel;
import dev.vlflow.engine.model.Checkpoint;
import dev.vlflow.engine.model.DType;
import dev.vlflow.engine.model.TensorLayout;
import dev.vlflow.engine.model.make.ModelMaker;
import dev.vlflow.engine.model.make.ModelPreset;
import dev.vlflow.pipeline.eval.EvalOptions;
import dev.vlflow.pipeline.eval.Prediction;
import dev.vlflow.pipeline.eval.VideoEvaluator;
import dev.vlflow.pipeline.eval.VideoOutcome;
import dev.vlflow.pipeline.eval.VisionFrameSamplers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The committed {@code tiny-trained} checkpoint: {@code make-model} reproduces it byte for byte (and converts it),
 * and through the evaluation's own path it answers fresh synthetic videos far above chance.
 */
class TinyTrainedTest {

    /** Colour, count and direction questions; the subtitle-only and order questions are not scored here. */
    private static final Set<String> SCORED = Set.of("Attribute Perception", "Counting Problem", "Spatial Perception");

    @TempDir
    Path dir;

    @Test
    void makeModelCopiesTheRepositoryCheckpoint() throws Exception {
        Path copy = dir.resolve("copy");
        Path legacy = dir.resolve("legacy");
        assertEquals(0, Main.run("make-model", "--preset", "tiny-trained", "--out", copy.toString()));
        Path stored = repositoryCheckpoint();
        assertArrayEquals(Files.readAllBytes(stored.resolve("model.safetensors")),
                Files.readAllBytes(copy.resolve("model.safetensors")));
        assertArrayEquals(Files.readAllBytes(stored.resolve("tokenizer.json")),
                Files.readAllBytes(copy.resolve("tokenizer.json")));
        assertEquals(0, Main.run("make-model", "--preset", "tiny-trained", "--out", legacy.toString(), "--dtype",
                "bf16", "--layout", "legacy"));
        try (Checkpoint c = Checkpoint.open(legacy); Checkpoint s = Checkpoint.open(stored)) {
            assertEquals(TensorLayout.LEGACY, c.layout());
            assertEquals(DType.BF16, c.info(Checkpoint.EMBED).dtype());
            float a = s.floats("model.image_newline").get(3);
            float b = c.floats("model.image_newline").get(3);
            assertEquals(a, b, Math.abs(a) / 128, "bf16 keeps 8 significant bits");
        }
    }

    @Test
    void answersFreshSyntheticVideosFarAboveChance() {
        Path set = dir.resolve("set");
        Path model = dir.resolve("model");
        assertEquals(0, Main.run("make-dataset", "videomme-synthetic", "--out", set.toString(), "--videos", "24",
                "--seed", "77"));
        assertEquals(0, Main.run("make-model", "--preset", "tiny-trained", "--out", model.toString()));
        int correct = 0;
        int asked = 0;
        try (VlModel m = VlModel.load(model)) {
            VideoEvaluator evaluator = new VideoEvaluator(m, new VisionFrameSamplers().create(m),
                    new VideoMmeFiles(set.resolve("video")), new EvalOptions(8, false, PromptStyle.OFFICIAL, true, 16));
            for (VideoMmeVideo v : AnnotationReader.readFile(set.resolve("videomme.json")).videos()) {
                VideoOutcome outcome = evaluator.evaluate(v.withFirstQuestions(3));
                assertTrue(outcome instanceof VideoOutcome.Answered, outcome.toString());
                for (Prediction p : ((VideoOutcome.Answered) outcome).predictions()) {
                    boolean ambiguous = v.questions().stream().filter(q -> q.questionId().equals(p.questionId()))
                            .anyMatch(OptionShuffle::hasDuplicateOptions);
                    if (SCORED.contains(p.taskType()) && !ambiguous) {
                        asked++;
                        correct += p.extracted().filter(p.answer()::equals).isPresent() ? 1 : 0;
                    }
                }
            }
        }
        // chance is 25%; the held-out accuracy of the checkpoint is in models/tiny-trained/README.md
        assertTrue(asked >= 30, "asked " + asked);
        assertTrue(correct >= 0.7 * asked, correct + "/" + asked + " correct");
    }

    private static Path repositoryCheckpoint() {
        return ModelMaker.repositoryCopy(ModelPreset.TINY_TRAINED)
                .orElseThrow(() -> new AssertionError("models/tiny-trained not found"));
    }
}

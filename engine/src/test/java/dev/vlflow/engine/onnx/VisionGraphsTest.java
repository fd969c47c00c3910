package dev.vlflow.engine.onnx;

import static dev.vlflow.engine.onnx.Close.assertClose;
import static dev.vlflow.engine.onnx.Close.random;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vlflow.engine.model.ModelConfig;
import dev.vlflow.engine.model.TextConfig;
import dev.vlflow.engine.model.VisionConfig;
import dev.vlflow.engine.reference.BilinearPooling;
import dev.vlflow.engine.reference.ReferenceLlava;
import dev.vlflow.engine.reference.ReferenceSiglip;
import dev.vlflow.engine.testing.InMemoryWeights;
import org.junit.jupiter.api.Test;

/**
 * SigLIP tower and projector + pooling graphs vs the plain Java reference ({@link ReferenceSiglip},
 * {@link ReferenceLlava#project}, {@link BilinearPooling}), within 1e-4.
 */
class VisionGraphsTest {

    private static final double TOLERANCE = 1e-4;

    @Test
    void towerMatchesReferenceOnTwoFrames() {
        ModelConfig config = InMemoryWeights.tinyConfig(); // 112 px, patch 14 -> 8x8 = 64 patches, Dv 32
        VisionConfig v = config.vision();
        try (InMemoryWeights weights = new InMemoryWeights(config, 3);
             OnnxModel model = OnnxModel.build(weights, ExecutionProvider.cpu())) {
            int frames = 2;
            float[] pixels = random(frames * 3 * v.imageSize() * v.imageSize(), 1.0, 9);
            float[] features = model.visionFeatures(pixels, frames);
            assertEquals(frames * v.numPatches() * v.hiddenSize(), features.length);
            assertClose(new ReferenceSiglip(weights).features(pixels, frames), features, TOLERANCE,
                    "vision features");
        }
    }

    @Test
    void projectorAndPoolingMatchReferenceOnEvenGrid() {
        checkProjector(InMemoryWeights.tinyConfig(), 3); // 8x8 -> 4x4
    }

    @Test
    void projectorAndPoolingMatchReferenceOnOddGrid() {
        // 98 px / 14 = 7x7 patches -> ceil(7/2) = 4x4 pooled, the odd case of 27 -> 14
        ModelConfig config = InMemoryWeights.config(new TextConfig(64, 16, 32, 1, 2, 1, 1e-6, 1e6, 256, true),
                new VisionConfig(8, 16, 1, 2, 14, 98, 3, 1e-6, "gelu_pytorch_tanh"));
        checkProjector(config, 2);
    }

    @Test
    void projectorAndPoolingMatchReferenceAtTheRealGridSize() {
        // 378 px / 14 = 27x27 patches -> 14x14, as for 384 px SigLIP; small widths keep it cheap
        ModelConfig config = InMemoryWeights.config(new TextConfig(64, 8, 16, 1, 2, 1, 1e-6, 1e6, 256, true),
                new VisionConfig(4, 8, 1, 1, 14, 378, 3, 1e-6, "gelu_pytorch_tanh"));
        assertEquals(14, config.vision().pooledSide());
        checkProjector(config, 2);
    }

    private static void checkProjector(ModelConfig config, int frames) {
        VisionConfig v = config.vision();
        try (InMemoryWeights weights = new InMemoryWeights(config, 5);
             OnnxModel model = OnnxModel.build(weights, ExecutionProvider.cpu())) {
            float[] features = random(frames * v.numPatches() * v.hiddenSize(), 2.0, 17);
            float[] pooled = model.projectAndPool(features, frames);
            assertEquals(frames * v.tokensPerFrame() * config.text().hiddenSize(), pooled.length);
            float[] projected = new ReferenceLlava(weights).project(features, frames * v.numPatches());
            float[] expected = BilinearPooling.poolFrames(projected, frames, v.patchesPerSide(),
                    config.text().hiddenSize());
            assertClose(expected, pooled, TOLERANCE,
                    "projected and pooled, " + v.patchesPerSide() + " -> " + v.pooledSide());
        }
    }
}

package dev.vlflow.engine.onnx;

import static dev.vlflow.engine.onnx.Close.assertClose;
import static dev.vlflow.engine.onnx.Close.random;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtProvider;
import dev.vlflow.engine.model.TextConfig;
import dev.vlflow.engine.model.VisionConfig;
import dev.vlflow.engine.testing.InMemoryWeights;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Provider selection. Without the GPU build, asking for CUDA fails with a message that says why and what to do. On a
 * machine with a GPU ({@code /dev/nvidia0}) and the GPU build, CUDA must start (any failure fails the test) and every
 * graph must agree with the CPU provider within 1e-3; only where no GPU exists is the parity test skipped, saying so.
 */
class ExecutionProviderTest {

    private static final double TOLERANCE = 1e-3;

    static boolean gpuPresent() {
        return Files.exists(Path.of("/dev/nvidia0"));
    }

    static boolean cudaProviderPresent() {
        return OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA);
    }

    @Test
    void cudaWithoutTheGpuBuildFailsClearly() {
        assumeTrue(!cudaProviderPresent(), "this build has ONNX Runtime's CUDA provider (profile cuda): the parity"
                + " test below covers it");
        try (InMemoryWeights weights = new InMemoryWeights(InMemoryWeights.tinyConfig(), 2)) {
            OnnxException e = assertThrows(OnnxException.class,
                    () -> OnnxModel.build(weights, ExecutionProvider.cuda()).close());
            assertTrue(e.getMessage().contains("CUDA execution provider requested"), e.getMessage());
            assertTrue(e.getMessage().contains("onnxruntime_gpu"), e.getMessage());
        }
    }

    @Test
    void everyGraphOnCudaMatchesCpu() {
        assumeTrue(gpuPresent(), "no GPU on this machine (no /dev/nvidia0): CUDA parity cannot be checked here");
        assumeTrue(cudaProviderPresent(), "a GPU is present but this build lacks ONNX Runtime's CUDA provider: build"
                + " with mvn -Pcuda to check CUDA parity");
        try (InMemoryWeights weights = new InMemoryWeights(InMemoryWeights.tinyConfig(), 2);
             OnnxModel cpu = OnnxModel.build(weights, ExecutionProvider.cpu());
             OnnxModel cuda = OnnxModel.build(weights, ExecutionProvider.cuda())) { // any failure to start fails
            GraphParity.assertEveryGraphAgrees(cpu, cuda, TOLERANCE);
        }
    }

    @Test
    void invalidSettingsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> ExecutionProvider.cpu(0));
        assertThrows(IllegalArgumentException.class, () -> ExecutionProvider.cuda(-1));
        assertTrue(ExecutionProvider.cpu().intraOpThreads() >= 1);
    }

    @Test
    void parityHelperComparesEveryGraphOnTwoCpuModels() {
        // the helper itself, CPU against CPU (identical) so that it runs everywhere: it must visit every graph kind
        try (InMemoryWeights weights = new InMemoryWeights(InMemoryWeights.tinyConfig(), 2);
             OnnxModel a = OnnxModel.build(weights, ExecutionProvider.cpu());
             OnnxModel b = OnnxModel.build(weights, ExecutionProvider.cpu())) {
            int compared = GraphParity.assertEveryGraphAgrees(a, b, 0.0);
            TextConfig t = weights.config().text();
            assertTrue(compared == 2 + 4 * t.numHiddenLayers() + 1, "graphs compared: " + compared);
        }
    }

    /** Runs each graph of two models on the same random inputs and compares the outputs. */
    static final class GraphParity {

        private GraphParity() {
        }

        /** @return how many graph outputs were compared */
        static int assertEveryGraphAgrees(OnnxModel expected, OnnxModel actual, double tolerance) {
            VisionConfig v = expected.config().vision();
            TextConfig t = expected.config().text();
            int frames = 2;
            int tokens = 3;
            int n = 0;
            float[] pixels = random(frames * v.numChannels() * v.imageSize() * v.imageSize(), 1.0, 11);
            float[] features = expected.visionFeatures(pixels, frames);
            assertClose(features, actual.visionFeatures(pixels, frames), tolerance, "vision tower");
            n++;
            assertClose(expected.projectAndPool(features, frames), actual.projectAndPool(features, frames), tolerance,
                    "projector + pooling");
            n++;
            float[] hidden = random(tokens * t.hiddenSize(), 1.0, 12);
            float[] attention = random(tokens * t.numAttentionHeads() * t.headDim(), 1.0, 13);
            for (int layer = 0; layer < t.numHiddenLayers(); layer++) {
                QkvProjection e = expected.preAttention(layer, hidden, tokens);
                QkvProjection a = actual.preAttention(layer, hidden, tokens);
                assertClose(e.q(), a.q(), tolerance, "layer " + layer + " q");
                assertClose(e.k(), a.k(), tolerance, "layer " + layer + " k");
                assertClose(e.v(), a.v(), tolerance, "layer " + layer + " v");
                n++;
                assertClose(expected.postAttention(layer, hidden, attention, tokens),
                        actual.postAttention(layer, hidden, attention, tokens), tolerance, "layer " + layer + " post");
                n++;
                assertClose(expected.attentionOnly(layer, hidden, attention, tokens),
                        actual.attentionOnly(layer, hidden, attention, tokens), tolerance,
                        "layer " + layer + " attention only");
                n++;
                assertClose(expected.mlpOnly(layer, hidden, tokens), actual.mlpOnly(layer, hidden, tokens), tolerance,
                        "layer " + layer + " mlp only");
                n++;
            }
            assertClose(expected.logits(hidden, tokens), actual.logits(hidden, tokens), tolerance, "LM head");
            return n + 1;
        }
    }
}

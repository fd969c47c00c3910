package dev.vlflow.engine.onnx;

import static dev.vlflow.engine.onnx.Close.assertClose;
import static dev.vlflow.engine.onnx.Close.random;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtProvider;
import dev.vlflow.engine.testing.InMemoryWeights;
import org.junit.jupiter.api.Test;

/** Provider selection: CUDA where it is absent fails with a message that says why and what to do. */
class ExecutionProviderTest {

    @Test
    void cudaEitherRunsOrFailsClearly() {
        try (InMemoryWeights weights = new InMemoryWeights(InMemoryWeights.tinyConfig(), 2)) {
            if (!OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA)) {
                OnnxException e = assertThrows(OnnxException.class,
                        () -> OnnxModel.build(weights, ExecutionProvider.cuda()).close());
                assertTrue(e.getMessage().contains("CUDA execution provider requested"), e.getMessage());
                assertTrue(e.getMessage().contains("onnxruntime_gpu"), e.getMessage());
            } else {
                // a GPU build (profile cuda): either a GPU is there and CUDA matches CPU, or the error names CUDA
                int tokens = 2;
                float[] hidden = random(tokens * weights.config().text().hiddenSize(), 1.0, 3);
                try (OnnxModel cpu = OnnxModel.build(weights, ExecutionProvider.cpu())) {
                    float[] expected = cpu.logits(hidden, tokens);
                    try (OnnxModel cuda = OnnxModel.build(weights, ExecutionProvider.cuda())) {
                        assertClose(expected, cuda.logits(hidden, tokens), 1e-3, "CUDA vs CPU logits");
                    } catch (OnnxException e) {
                        assertTrue(e.getMessage().contains("CUDA"), e.getMessage());
                    }
                }
            }
        }
    }

    @Test
    void invalidSettingsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> ExecutionProvider.cpu(0));
        assertThrows(IllegalArgumentException.class, () -> ExecutionProvider.cuda(-1));
        assertTrue(ExecutionProvider.cpu().intraOpThreads() >= 1);
    }
}

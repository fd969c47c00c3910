package dev.vlflow.engine.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtProvider;
import dev.vlflow.engine.model.TextConfig;
import dev.vlflow.engine.testing.InMemoryWeights;
import org.junit.jupiter.api.Test;

/**
 * Provider selection. Without the GPU build, asking for CUDA fails with a message that says why and what to do. On a
 * machine with a GPU ({@code /dev/nvidia0}) and the GPU build, CUDA must start (any failure fails the test) and every
 * graph must agree with the CPU provider within 1e-3; only where no GPU exists is the parity test skipped, saying so.
 */
class ExecutionProviderTest {

    private static final double TOLERANCE = 1e-3;

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
        CudaAvailability cuda = CudaAvailability.detect();
        assumeTrue(cuda instanceof CudaAvailability.Present, () -> "CUDA parity cannot be checked here: "
                + ((CudaAvailability.Missing) cuda).reason());
        try (InMemoryWeights weights = new InMemoryWeights(InMemoryWeights.tinyConfig(), 2);
             OnnxModel onCpu = OnnxModel.build(weights, ExecutionProvider.cpu());
             OnnxModel onCuda = OnnxModel.build(weights, ExecutionProvider.cuda())) { // any failure to start fails
            GraphParity.Report report = GraphParity.compare(onCpu, onCuda);
            assertTrue(report.within(TOLERANCE), () -> "graphs beyond " + TOLERANCE + ": " + report.beyond(TOLERANCE));
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
            GraphParity.Report report = GraphParity.compare(a, b);
            TextConfig t = weights.config().text();
            assertEquals(2 + 4 * t.numHiddenLayers() + 1, report.graphs().size(), "graphs compared");
            assertEquals(0.0, report.worst().maxAbsDiff(), "the same provider on the same inputs: " + report.worst());
            assertEquals("/lm_head", report.graphs().get(report.graphs().size() - 1).graph());
        }
    }

    @Test
    void aDisagreementBeyondTheToleranceIsReportedAndNaNNeverPasses() {
        GraphParity.Report report = new GraphParity.Report(java.util.List.of(
                new GraphParity.GraphDiff("/vision/tower", 2e-4), new GraphParity.GraphDiff("/lm_head", 3e-3),
                new GraphParity.GraphDiff("/model/layers.0/mlp_only", Double.NaN)));
        assertEquals(java.util.List.of("/lm_head", "/model/layers.0/mlp_only"),
                report.beyond(TOLERANCE).stream().map(GraphParity.GraphDiff::graph).toList());
        assertEquals("/model/layers.0/mlp_only", report.worst().graph());
        assertTrue(Double.isNaN(GraphParity.maxAbsDiff(new float[] {1, Float.NaN}, new float[] {1, 2})));
        assertTrue(Double.isNaN(GraphParity.maxAbsDiff(new float[] {1}, new float[] {1, 2})));
        assertEquals(0.5, GraphParity.maxAbsDiff(new float[] {1, 2}, new float[] {1.5f, 2}), 0.0);
    }
}

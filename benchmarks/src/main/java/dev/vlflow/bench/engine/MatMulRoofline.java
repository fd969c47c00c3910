package dev.vlflow.bench.engine;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.vlflow.engine.onnx.Dim;
import dev.vlflow.engine.onnx.GraphBuilder;
import dev.vlflow.engine.onnx.OnnxGraph;
import dev.vlflow.engine.onnx.Value;
import java.nio.FloatBuffer;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * This machine's fp32 MatMul throughput through ONNX Runtime's CPU provider: a one-node graph
 * {@code [m x k] x [k x n]}, best of several runs, in GFLOP/s. The prefill roofline.
 */
public final class MatMulRoofline {

    private MatMulRoofline() {
    }

    public static double measureGflops(int m, int k, int n, int threads, int runs) {
        GraphBuilder g = new GraphBuilder("matmul_roofline");
        Value a = g.input("a", new Dim.Fixed(m), new Dim.Fixed(k));
        Value b = g.input("b", new Dim.Fixed(k), new Dim.Fixed(n));
        Value c = g.op("/bench/matmul", "MatMul", List.of(a, b));
        g.output(c, "c", new Dim.Fixed(m), new Dim.Fixed(n));
        OnnxGraph graph = g.build();
        SplittableRandom random = new SplittableRandom(7);
        float[] av = new float[m * k];
        float[] bv = new float[k * n];
        for (int i = 0; i < av.length; i++) {
            av[i] = (float) random.nextDouble(-1, 1);
        }
        for (int i = 0; i < bv.length; i++) {
            bv[i] = (float) random.nextDouble(-1, 1);
        }
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(threads);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            try (OrtSession session = env.createSession(graph.model(), options);
                 OnnxTensor at = OnnxTensor.createTensor(env, FloatBuffer.wrap(av), new long[] {m, k});
                 OnnxTensor bt = OnnxTensor.createTensor(env, FloatBuffer.wrap(bv), new long[] {k, n})) {
                double best = Double.MAX_VALUE;
                for (int r = 0; r < runs + 2; r++) {
                    long t0 = System.nanoTime();
                    try (OrtSession.Result ignored = session.run(Map.of("a", at, "b", bt))) {
                        long dt = System.nanoTime() - t0;
                        if (r >= 2) {
                            best = Math.min(best, dt);
                        }
                    }
                }
                return 2.0 * m * k * n / best; // FLOP per ns = GFLOP/s
            }
        } catch (OrtException e) {
            throw new IllegalStateException("MatMul roofline failed: " + e.getMessage(), e);
        }
    }
}

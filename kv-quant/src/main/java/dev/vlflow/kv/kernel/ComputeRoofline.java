package dev.vlflow.kv.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * This core's peak fp32 FMA throughput with the Vector API's preferred species (registers only, eight
 * independent accumulator chains): the compute roofline of the attention kernels, next to the memory roofline.
 */
public final class ComputeRoofline {

    private static volatile float blackhole;

    private ComputeRoofline() {
    }

    /** GFLOP/s of one thread (an FMA counts as 2 FLOP), best of {@code runs}; 0 without the Vector API. */
    public static double fmaGflopsPerThread(int runs) {
        if (!Kernels.vectorized()) {
            return 0;
        }
        int iterations = 20_000_000;
        double best = 0;
        for (int r = 0; r < runs + 1; r++) {
            long t0 = System.nanoTime();
            blackhole = chains(iterations);
            double gflops = 2.0 * 8 * TileMath.L * iterations / (System.nanoTime() - t0);
            if (r > 0) {
                best = Math.max(best, gflops);
            }
        }
        return best;
    }

    private static float chains(int iterations) {
        FloatVector x = FloatVector.broadcast(TileMath.S, 0.999f);
        FloatVector y = FloatVector.broadcast(TileMath.S, 1e-3f);
        FloatVector a0 = FloatVector.broadcast(TileMath.S, 1f);
        FloatVector a1 = a0.add(1f);
        FloatVector a2 = a0.add(2f);
        FloatVector a3 = a0.add(3f);
        FloatVector a4 = a0.add(4f);
        FloatVector a5 = a0.add(5f);
        FloatVector a6 = a0.add(6f);
        FloatVector a7 = a0.add(7f);
        for (int i = 0; i < iterations; i++) {
            a0 = a0.fma(x, y);
            a1 = a1.fma(x, y);
            a2 = a2.fma(x, y);
            a3 = a3.fma(x, y);
            a4 = a4.fma(x, y);
            a5 = a5.fma(x, y);
            a6 = a6.fma(x, y);
            a7 = a7.fma(x, y);
        }
        return a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).reduceLanes(VectorOperators.ADD);
    }
}

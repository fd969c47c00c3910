package dev.vlflow.bench;

import dev.vlflow.kv.kernel.StreamingSum;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * This machine's measured memory read bandwidth: the decode roofline every bandwidth-bound benchmark compares with.
 * Streams a 1 GiB float array through {@link StreamingSum} (Vector API) with one thread per core, each over its own
 * slice, best of several runs.
 */
public final class Roofline {

    private static final int BYTES = 1 << 30;

    private Roofline() {
    }

    /** Read bandwidth in GB/s (10^9 bytes per second) with all cores. */
    public static double memoryBandwidthGbPerS() {
        return memoryBandwidthGbPerS(Runtime.getRuntime().availableProcessors(), 5);
    }

    public static double memoryBandwidthGbPerS(int threads, int runs) {
        float[] data = new float[BYTES / Float.BYTES];
        java.util.Arrays.fill(data, 1f);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            double best = 0;
            double sink = 0;
            for (int r = 0; r < runs + 1; r++) {
                List<Future<Float>> parts = new ArrayList<>();
                int slice = data.length / threads;
                long t0 = System.nanoTime();
                for (int t = 0; t < threads; t++) {
                    int from = t * slice;
                    int to = t == threads - 1 ? data.length : from + slice;
                    parts.add(pool.submit(() -> StreamingSum.sum(data, from, to)));
                }
                for (Future<Float> f : parts) {
                    sink += f.get();
                }
                double gbs = (double) data.length * Float.BYTES / (System.nanoTime() - t0);
                if (r > 0) {
                    best = Math.max(best, gbs);
                }
            }
            if (sink == 42) {
                System.out.print("");
            }
            return best;
        } catch (Exception e) {
            throw new IllegalStateException("bandwidth measurement failed: " + e.getMessage(), e);
        } finally {
            pool.shutdownNow();
        }
    }
}

package dev.vlflow.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * This machine's measured memory read bandwidth: the decode roofline every bandwidth-bound benchmark compares with.
 * Sums a 1 GiB long array with one thread per core (each over its own slice), best of several runs.
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
        long[] data = new long[BYTES / Long.BYTES];
        for (int i = 0; i < data.length; i++) {
            data[i] = i;
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            double best = 0;
            long sink = 0;
            for (int r = 0; r < runs + 1; r++) {
                List<Future<Long>> parts = new ArrayList<>();
                int slice = data.length / threads;
                long t0 = System.nanoTime();
                for (int t = 0; t < threads; t++) {
                    int from = t * slice;
                    int to = t == threads - 1 ? data.length : from + slice;
                    parts.add(pool.submit(() -> sum(data, from, to)));
                }
                for (Future<Long> f : parts) {
                    sink += f.get();
                }
                double gbs = (double) data.length * Long.BYTES / (System.nanoTime() - t0);
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

    private static long sum(long[] data, int from, int to) {
        long a = 0;
        long b = 0;
        long c = 0;
        long d = 0;
        int i = from;
        for (; i + 3 < to; i += 4) {
            a += data[i];
            b += data[i + 1];
            c += data[i + 2];
            d += data[i + 3];
        }
        for (; i < to; i++) {
            a += data[i];
        }
        return a + b + c + d;
    }
}

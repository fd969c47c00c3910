package dev.vlflow.bench.kv;

import dev.vlflow.kv.AttentionQuery;
import dev.vlflow.kv.KvCache;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Times decode-step attention over every layer of a cache: one query block per layer, the layers split over
 * {@code threads} threads (each layer's attention is independent, as the heads of one layer would be).
 */
final class DecodeTimer {

    /** One layer's attention call, so the same timer runs the kernels and their scalar twins. */
    interface LayerAttention {
        void attend(int layer, AttentionQuery query, float[] out);
    }

    /**
     * @param wallNanos median wall time of a step
     * @param cpuNanos  median CPU time of a step summed over the threads (robust to other load on the machine)
     */
    record StepTime(double wallNanos, double cpuNanos) {
    }

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private DecodeTimer() {
    }

    /**
     * Median times per step over {@code steps} timed steps, after untimed steps for at least
     * {@code warmupMillis} (and at least one) so the kernels are compiled.
     */
    static StepTime time(KvCache cache, LayerAttention attention, AttentionQuery query, int threads,
                         long warmupMillis, int steps) {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            long warmEnd = System.nanoTime() + warmupMillis * 1_000_000L;
            do {
                step(pool, cache, attention, query, threads, new AtomicLong());
            } while (System.nanoTime() < warmEnd);
            long[] wall = new long[steps];
            long[] cpu = new long[steps];
            for (int s = 0; s < steps; s++) {
                AtomicLong cpuNanos = new AtomicLong();
                wall[s] = step(pool, cache, attention, query, threads, cpuNanos);
                cpu[s] = cpuNanos.get();
            }
            Arrays.sort(wall);
            Arrays.sort(cpu);
            return new StepTime(wall[steps / 2], cpu[steps / 2]);
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException("decode timing failed: " + e.getMessage(), e);
        } finally {
            pool.shutdownNow();
        }
    }

    /** One decode step over all layers; returns its wall time and adds the threads' CPU time to {@code cpu}. */
    private static long step(ExecutorService pool, KvCache cache, LayerAttention attention, AttentionQuery query,
                             int threads, AtomicLong cpu) throws InterruptedException, ExecutionException {
        int layers = cache.shape().layers();
        int outLen = query.count() * query.heads() * cache.shape().headDim();
        long t0 = System.nanoTime();
        List<Future<?>> parts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int first = t;
            parts.add(pool.submit(() -> {
                long c0 = THREADS.getCurrentThreadCpuTime();
                float[] out = new float[outLen];
                for (int layer = first; layer < layers; layer += threads) {
                    attention.attend(layer, query, out);
                }
                cpu.addAndGet(THREADS.getCurrentThreadCpuTime() - c0);
            }));
        }
        for (Future<?> f : parts) {
            f.get();
        }
        return System.nanoTime() - t0;
    }
}

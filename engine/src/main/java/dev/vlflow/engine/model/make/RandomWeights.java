package dev.vlflow.engine.model.make;

import dev.vlflow.engine.model.Checkpoint;
import dev.vlflow.engine.model.TensorValues;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Seeded random initial values, a pure function of (seed, tensor name, element index) so that any layout, dtype or
 * sharding of the same seed holds the same numbers. Values are bell-shaped (sum of four uniforms, unit variance)
 * with a per-tensor mean and standard deviation chosen so activations stay O(1) through the layers:
 * <ul>
 *   <li>linear and conv weights: std {@code 1/sqrt(fan_in)};</li>
 *   <li>embeddings: std {@code 1/sqrt(hidden)} (tied, so the logits have unit scale and differ);</li>
 *   <li>norm weights: {@code 1 + 0.02 noise}; biases, {@code image_newline}, position embeddings: std 0.02.</li>
 * </ul>
 */
final class RandomWeights implements TensorValues {

    private static final double SMALL = 0.02;
    private static final double SQRT3 = Math.sqrt(3.0);
    private static final int PARALLEL_BLOCK = 1 << 16;

    private record Spec(long key, float mean, float std) {
    }

    private final long seed;
    private final Map<String, long[]> shapes;

    RandomWeights(long seed, Map<String, long[]> shapes) {
        this.seed = seed;
        this.shapes = shapes;
    }

    @Override
    public void fill(String name, long start, float[] out, int count) {
        Spec spec = spec(name);
        // unit = (sum + 2) / 65536 - 2 scaled by sqrt(3): fold everything into value = offset + scale * sum
        double scale = spec.std() * SQRT3 / 65536.0;
        double offset = spec.mean() + spec.std() * SQRT3 * (2.0 / 65536.0 - 2.0);
        if (count < PARALLEL_BLOCK * 2) {
            fillRange(spec.key(), start, out, 0, count, scale, offset);
            return;
        }
        int blocks = (count + PARALLEL_BLOCK - 1) / PARALLEL_BLOCK;
        IntStream.range(0, blocks).parallel().forEach(b -> {
            int from = b * PARALLEL_BLOCK;
            fillRange(spec.key(), start, out, from, Math.min(count, from + PARALLEL_BLOCK), scale, offset);
        });
    }

    private static void fillRange(long key, long start, float[] out, int from, int to, double scale,
                                  double offset) {
        for (int i = from; i < to; i++) {
            long h = mix(key + (start + i) * 0x9E3779B97F4A7C15L);
            long sum = (h & 0xFFFF) + ((h >>> 16) & 0xFFFF) + ((h >>> 32) & 0xFFFF) + (h >>> 48);
            out[i] = (float) (offset + scale * sum);
        }
    }

    private Spec spec(String name) {
        long[] shape = shapes.get(name);
        if (shape == null) {
            throw new IllegalArgumentException("no shape for tensor " + name);
        }
        long key = mix(seed ^ fnv1a(name));
        if (name.contains("norm") && name.endsWith(".weight")) {
            return new Spec(key, 1f, (float) SMALL);
        }
        if (name.equals(Checkpoint.EMBED) || name.equals(Checkpoint.LM_HEAD)) {
            return new Spec(key, 0f, (float) (1.0 / Math.sqrt(shape[1])));
        }
        if (name.endsWith(".bias") || name.endsWith("image_newline") || name.endsWith("position_embedding.weight")) {
            return new Spec(key, 0f, (float) SMALL);
        }
        long fanIn = 1;
        for (int d = 1; d < shape.length; d++) {
            fanIn *= shape[d];
        }
        return new Spec(key, 0f, (float) (1.0 / Math.sqrt(fanIn)));
    }

    /** splitmix64 finalizer. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static long fnv1a(String s) {
        long h = 0xCBF29CE484222325L;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xFF)) * 0x100000001B3L;
        }
        return h;
    }
}

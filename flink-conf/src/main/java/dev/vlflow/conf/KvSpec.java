package dev.vlflow.conf;

import java.io.Serializable;
import java.util.Objects;

/**
 * The per-stream KV cache in keyed state (see {@link KvOptions}).
 *
 * @param pageTokens tokens per layer in one state page (fp32); for a quantized cache, tokens per cache page
 * @param budget     how many tokens a stream keeps
 * @param precision  cache precision as {@code PrecisionPolicy.parse} reads it: {@code fp32}, {@code 16}, {@code 8},
 *                   {@code 4}, {@code 2}, {@code mixed:H/L}; quantized caches are kept in state in their own
 *                   precision
 * @param groupSize  quantization group (tokens per key group, channels per value group); quantized caches only
 * @param fpWindow   most recent tokens a quantized cache keeps in fp32
 */
public record KvSpec(int pageTokens, KvBudget budget, String precision, int groupSize, int fpWindow)
        implements Serializable {

    public static final String FP32 = "fp32";

    public KvSpec {
        Objects.requireNonNull(budget, "budget");
        Objects.requireNonNull(precision, "precision");
        if (pageTokens <= 0) {
            throw new IllegalArgumentException("page tokens must be positive, got " + pageTokens);
        }
        if (groupSize <= 0 || fpWindow < 0) {
            throw new IllegalArgumentException("group size must be positive and fp window >= 0, got " + groupSize
                    + " and " + fpWindow);
        }
        if (!precision.trim().equalsIgnoreCase(FP32) && pageTokens % groupSize != 0) {
            throw new IllegalArgumentException("a quantized cache needs page tokens (" + pageTokens
                    + ") to be a multiple of the group size (" + groupSize + ")");
        }
    }

    /** A float32 cache. */
    public KvSpec(int pageTokens, KvBudget budget) {
        this(pageTokens, budget, FP32, 32, 128);
    }

    public static KvSpec unbounded(int pageTokens) {
        return new KvSpec(pageTokens, new KvBudget.Unbounded());
    }

    /** This spec with another cache precision. */
    public KvSpec withPrecision(String precision, int groupSize, int fpWindow) {
        return new KvSpec(pageTokens, budget, precision, groupSize, fpWindow);
    }

    /** Whether the cache is quantized (anything but {@code fp32}). */
    public boolean quantized() {
        return !precision.trim().equalsIgnoreCase(FP32);
    }
}

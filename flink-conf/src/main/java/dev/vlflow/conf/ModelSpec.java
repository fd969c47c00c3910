package dev.vlflow.conf;

import java.io.Serializable;
import java.util.Objects;
import java.util.Set;

/**
 * Which model, and how it runs (see {@link ModelOptions}). Two equal specs denote the same loaded model, so a
 * TaskManager shares one model between the operators and slots that ask for equal specs.
 *
 * @param path          checkpoint directory
 * @param provider      {@code cpu} or {@code cuda}
 * @param prefillChunk  most tokens per prefill pass
 * @param visionBatch   most frames per vision call
 * @param systemPrompt  system message; empty for the template's default
 * @param zipvl         ZipVL sparse prefill and KV re-compression, or dense
 * @param weights       precision of the decoder's projections and LM head: {@code fp32}, {@code int8} or
 *                      {@code int4} (quantized at load; the engine's {@code WeightPrecision})
 */
public record ModelSpec(String path, String provider, int prefillChunk, int visionBatch, String systemPrompt,
                        ZipVlSpec zipvl, String weights) implements Serializable {

    /** The weight precisions a spec may name. */
    public static final Set<String> WEIGHTS = Set.of("fp32", "int8", "int4");

    public ModelSpec {
        weights = weights(weights);
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(zipvl, "zipvl");
        Objects.requireNonNull(systemPrompt, "systemPrompt");
        if (!Set.of("cpu", "cuda").contains(provider)) {
            throw new IllegalArgumentException("provider must be cpu or cuda, got " + provider);
        }
        if (prefillChunk <= 0 || visionBatch <= 0) {
            throw new IllegalArgumentException("prefill chunk and vision batch must be positive");
        }
    }

    /**
     * A weight precision in its canonical spelling.
     *
     * @throws IllegalArgumentException anything but fp32, int8 or int4 (any case)
     */
    public static String weights(String precision) {
        String p = precision.trim().toLowerCase(java.util.Locale.ROOT);
        if (!WEIGHTS.contains(p)) {
            throw new IllegalArgumentException("weights must be fp32, int8 or int4, got " + precision);
        }
        return p;
    }

    /** With float32 weights. */
    public ModelSpec(String path, String provider, int prefillChunk, int visionBatch, String systemPrompt,
                     ZipVlSpec zipvl) {
        this(path, provider, prefillChunk, visionBatch, systemPrompt, zipvl, "fp32");
    }

    /** A dense model. */
    public ModelSpec(String path, String provider, int prefillChunk, int visionBatch, String systemPrompt) {
        this(path, provider, prefillChunk, visionBatch, systemPrompt, ZipVlSpec.off());
    }

    public ModelSpec withZipVl(ZipVlSpec z) {
        return new ModelSpec(path, provider, prefillChunk, visionBatch, systemPrompt, z, weights);
    }

    public ModelSpec withWeights(String precision) {
        return new ModelSpec(path, provider, prefillChunk, visionBatch, systemPrompt, zipvl, precision);
    }

    public static ModelSpec cpu(String path) {
        return new ModelSpec(path, "cpu", 512, 8, "");
    }
}

package dev.vlflow.engine;

import dev.vlflow.engine.onnx.ExecutionProvider;
import dev.vlflow.engine.quant.WeightPrecision;
import dev.vlflow.engine.zipvl.ZipVlOptions;
import java.util.Objects;
import java.util.Optional;

/**
 * How a model is run.
 *
 * @param provider      ONNX Runtime execution provider for the dense parts (CPU by default)
 * @param prefillChunk  most tokens prefilled per forward pass (bounds activation memory)
 * @param visionBatch   most frames per vision-tower call
 * @param kvCache       cache implementation of new sessions
 * @param systemPrompt  a system message put before the user turn (LLaVA's {@code qwen_1_5} conversation uses
 *                      "You are a helpful assistant."); empty for the Hugging Face template's default
 * @param zipvl         ZipVL sparse prefill and KV re-compression when present (bits come from {@code kvCache})
 * @param weights       precision of the decoder's projections and LM head (quantized at load; fp32 by default)
 */
public record EngineOptions(ExecutionProvider provider, int prefillChunk, int visionBatch, KvCacheFactory kvCache,
                            Optional<String> systemPrompt, Optional<ZipVlOptions> zipvl, WeightPrecision weights) {
    public EngineOptions {
        Objects.requireNonNull(weights, "weights");
        Objects.requireNonNull(zipvl, "zipvl");
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(kvCache, "kvCache");
        Objects.requireNonNull(systemPrompt, "systemPrompt");
        if (prefillChunk <= 0 || visionBatch <= 0) {
            throw new IllegalArgumentException("prefillChunk and visionBatch must be positive");
        }
    }

    public static EngineOptions defaults() {
        return new EngineOptions(ExecutionProvider.cpu(), 512, 8, KvCacheFactory.floats(), Optional.empty(),
                Optional.empty(), WeightPrecision.FP32);
    }

    /** With float32 weights. */
    public EngineOptions(ExecutionProvider provider, int prefillChunk, int visionBatch, KvCacheFactory kvCache,
                         Optional<String> systemPrompt, Optional<ZipVlOptions> zipvl) {
        this(provider, prefillChunk, visionBatch, kvCache, systemPrompt, zipvl, WeightPrecision.FP32);
    }

    /** Without ZipVL. */
    public EngineOptions(ExecutionProvider provider, int prefillChunk, int visionBatch, KvCacheFactory kvCache,
                         Optional<String> systemPrompt) {
        this(provider, prefillChunk, visionBatch, kvCache, systemPrompt, Optional.empty());
    }

    public EngineOptions withZipVl(Optional<ZipVlOptions> z) {
        return new EngineOptions(provider, prefillChunk, visionBatch, kvCache, systemPrompt, z, weights);
    }

    public EngineOptions withProvider(ExecutionProvider p) {
        return new EngineOptions(p, prefillChunk, visionBatch, kvCache, systemPrompt, zipvl, weights);
    }

    public EngineOptions withKvCache(KvCacheFactory factory) {
        return new EngineOptions(provider, prefillChunk, visionBatch, factory, systemPrompt, zipvl, weights);
    }

    public EngineOptions withPrefillChunk(int chunk) {
        return new EngineOptions(provider, chunk, visionBatch, kvCache, systemPrompt, zipvl, weights);
    }

    public EngineOptions withSystemPrompt(String prompt) {
        return new EngineOptions(provider, prefillChunk, visionBatch, kvCache, Optional.of(prompt), zipvl, weights);
    }

    public EngineOptions withWeights(WeightPrecision precision) {
        return new EngineOptions(provider, prefillChunk, visionBatch, kvCache, systemPrompt, zipvl, precision);
    }
}

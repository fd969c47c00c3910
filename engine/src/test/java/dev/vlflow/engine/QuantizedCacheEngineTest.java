package dev.vlflow.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vlflow.engine.model.make.ModelMaker;
import dev.vlflow.engine.model.make.ModelPreset;
import dev.vlflow.engine.runtime.DecoderRunner;
import dev.vlflow.engine.runtime.Sampler;
import dev.vlflow.kv.KvCache;
import dev.vlflow.kv.KvCacheConfig;
import dev.vlflow.kv.PagedKvCache;
import dev.vlflow.kv.PrecisionPolicy;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine with quantized KV caches against the float cache on {@code tiny-random}: a prompt of 8 frames (about
 * 150 tokens) with a 32-token fp32 window, so most of the cache is quantized. Error bounds (max |logit difference|,
 * logits of magnitude ~1-5): 16-bit 5e-3, 8-bit 5e-2; errors grow as bits shrink; mixed 4/2 lies between 4 and 2 bits.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QuantizedCacheEngineTest {

    @TempDir
    static Path temp;

    VlModel model;
    float[] inputs;
    int tokens;

    @BeforeAll
    void load() {
        Path dir = ModelMaker.make(ModelMaker.Request.of(ModelPreset.TINY_RANDOM, temp.resolve("tiny"))).directory();
        model = VlModel.load(dir, EngineOptions.defaults().withPrefillChunk(64));
        DecoderRunner d = model.decoder();
        float[] px = EngineParityTest.pixels(model.config(), 8, 5);
        inputs = EngineParityTest.concat(d.embed(model.prompts().videoHeader()), model.encodeFrames(px, 8).rows(),
                model.newline(), d.embed(model.prompts().questionTail("Which shape appears first?")));
        tokens = inputs.length / model.config().text().hiddenSize();
    }

    @AfterAll
    void close() {
        model.close();
    }

    private float[] lastLogits(KvCache cache) {
        int[] pos = new int[tokens];
        for (int i = 0; i < tokens; i++) {
            pos[i] = i;
        }
        return model.decoder().prefill(inputs, tokens, pos, cache, model.options().prefillChunk()).row(0);
    }

    private KvCache cache(PrecisionPolicy policy) {
        return KvCacheFactory.of(new KvCacheConfig(policy, 64, 32, 32)).create(model.cacheShape());
    }

    private static double maxDiff(float[] a, float[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }

    @Test
    void quantizedCachesStayWithinTheirBoundsOfTheFloatCache() {
        assertTrue(tokens > 128, "prompt must reach beyond the fp32 window: " + tokens);
        float[] exact = lastLogits(KvCacheFactory.floats().create(model.cacheShape()));
        double d16 = maxDiff(exact, lastLogits(cache(new PrecisionPolicy.Uniform(16))));
        double d8 = maxDiff(exact, lastLogits(cache(new PrecisionPolicy.Uniform(8))));
        double d4 = maxDiff(exact, lastLogits(cache(new PrecisionPolicy.Uniform(4))));
        double d2 = maxDiff(exact, lastLogits(cache(new PrecisionPolicy.Uniform(2))));
        double mixed = maxDiff(exact, lastLogits(cache(new PrecisionPolicy.MixedByImportance(4, 2))));
        String report = "max |diff| 16:" + d16 + " 8:" + d8 + " 4:" + d4 + " 2:" + d2 + " mixed:" + mixed;
        assertTrue(d16 <= 5e-3, report);
        assertTrue(d8 <= 5e-2, report);
        assertTrue(d16 <= d8 && d8 <= d4 && d4 <= d2, "error must grow as bits shrink: " + report);
        assertTrue(mixed <= d2, "mixed 4/2 must be no worse than 2-bit: " + report);
        assertEquals(Sampler.argmax(exact), Sampler.argmax(lastLogits(cache(new PrecisionPolicy.Uniform(8)))), report);
    }

    @Test
    void mixedPolicyMarksTheTokensHoldingMostAttentionAsHighPrecision() {
        PagedKvCache cache = (PagedKvCache) cache(new PrecisionPolicy.MixedByImportance(4, 2, 0.5));
        lastLogits(cache);
        int layers = model.cacheShape().layers();
        int high = 0;
        int low = 0;
        for (int layer = 0; layer < layers; layer++) {
            for (int bits : cache.storedBits(layer)) {
                high += bits == 4 ? 1 : 0;
                low += bits == 2 ? 1 : 0;
            }
        }
        assertTrue(high > 0 && low > 0, "both precisions in use: high " + high + ", low " + low + " of "
                + Arrays.stream(new int[layers]).map(l -> tokens).sum());
        KvCache exact = KvCacheFactory.floats().create(model.cacheShape());
        lastLogits(exact);
        assertTrue(cache.bytes() < exact.bytes(), "mixed cache " + cache.bytes() + " B vs float " + exact.bytes() + " B");
    }
}

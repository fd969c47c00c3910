package dev.vlflow.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.vlflow.engine.decode.Acceptance;
import dev.vlflow.engine.decode.Decoding;
import dev.vlflow.engine.decode.DrafterSpec;
import dev.vlflow.engine.decode.NgramIndex;
import dev.vlflow.engine.decode.Speculator;
import dev.vlflow.engine.model.make.ModelMaker;
import dev.vlflow.engine.model.make.ModelPreset;
import dev.vlflow.engine.runtime.DecoderRunner;
import dev.vlflow.engine.runtime.LogitRows;
import dev.vlflow.engine.runtime.Sampler;
import dev.vlflow.kv.FloatKvCache;
import dev.vlflow.kv.KvCache;
import dev.vlflow.kv.KvCacheConfig;
import dev.vlflow.kv.PagedKvCache;
import dev.vlflow.kv.PrecisionPolicy;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cache after a verification whose drafts were all rejected is byte-identical to one that decoded the same token
 * plainly (float cache: keys, values and positions of every layer; paged 4-bit cache with a 32-token fp32 window:
 * its serialized bytes), and the step emits the plain greedy token.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RejectedDraftCacheTest {

    private static final int PROMPT = 90;

    @TempDir
    static Path temp;

    VlModel model;

    @BeforeAll
    void load() {
        model = VlModel.load(ModelMaker.make(ModelMaker.Request.of(ModelPreset.TINY_RANDOM, temp.resolve("tiny")))
                .directory(), EngineOptions.defaults());
    }

    @AfterAll
    void close() {
        model.close();
    }

    private KvCache prefilled(KvCacheFactory kind) {
        KvCache cache = kind.create(model.cacheShape());
        int[] ids = new int[PROMPT];
        int[] pos = new int[PROMPT];
        for (int i = 0; i < PROMPT; i++) {
            ids[i] = 5 + (i * 37) % 300;
            pos[i] = i;
        }
        model.decoder().prefill(model.decoder().embed(ids), PROMPT, pos, cache, 32);
        return cache;
    }

    /** Steps plainly and speculatively from equal caches; returns both caches after the step. */
    private KvCache[] stepBoth(KvCacheFactory kind) {
        DecoderRunner d = model.decoder();
        int pending = 42;
        KvCache plain = prefilled(kind);
        float[] logits = d.forward(d.embed(new int[] {pending}), 1, new int[] {PROMPT}, plain, LogitRows.LAST).row(0);
        model.maskUngeneratable(logits);
        int greedy = Sampler.argmax(logits);
        int wrong = (greedy + 1) % 300;
        KvCache speculative = prefilled(kind);
        NgramIndex text = new NgramIndex(1);
        text.addAll(new int[] {pending, wrong, 7, 8, 9, pending});
        Speculator s = Speculator.create(d, model::maskUngeneratable, new Sampler(Sampling.greedy()),
                Decoding.of(new DrafterSpec.PromptLookup(1, 1, 4, 4)), Optional.empty());
        Acceptance a = s.step(pending, PROMPT, speculative, text, 8);
        assertEquals(4, a.proposed());
        assertEquals(0, a.acceptedCount());
        assertEquals(greedy, a.next(), "the correction is the plain greedy token");
        assertNotEquals(wrong, greedy);
        return new KvCache[] {plain, speculative};
    }

    @Test
    void floatCacheAfterRejectedDraftsEqualsOneThatNeverDrafted() {
        KvCache[] c = stepBoth(KvCacheFactory.floats());
        FloatKvCache plain = (FloatKvCache) c[0];
        FloatKvCache spec = (FloatKvCache) c[1];
        for (int layer = 0; layer < model.cacheShape().layers(); layer++) {
            assertEquals(PROMPT + 1, spec.size(layer));
            assertArrayEquals(plain.positions(layer), spec.positions(layer));
            assertArrayEquals(plain.keys(layer), spec.keys(layer), "keys of layer " + layer);
            assertArrayEquals(plain.values(layer), spec.values(layer), "values of layer " + layer);
        }
    }

    @Test
    void pagedCacheAfterRejectedDraftsEqualsOneThatNeverDrafted() {
        KvCache[] c = stepBoth(KvCacheFactory.of(new KvCacheConfig(new PrecisionPolicy.Uniform(4), 64, 32, 32)));
        assertArrayEquals(((PagedKvCache) c[0]).toBytes(), ((PagedKvCache) c[1]).toBytes());
    }
}

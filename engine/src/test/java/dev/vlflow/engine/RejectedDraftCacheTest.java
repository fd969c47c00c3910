package dev.vlflow.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.vlflow.engine.decode.Acceptance;
import dev.vlflow.engine.decode.Decoding;
import dev.vlflow.engine.decode.DrafterSpec;
import dev.vlflow.engine.decode.KvRecorder;
import dev.vlflow.engine.decode.NgramIndex;
import dev.vlflow.engine.decode.Speculator;
import dev.vlflow.engine.model.make.ModelMaker;
import dev.vlflow.engine.model.make.ModelPreset;
import dev.vlflow.engine.onnx.ExecutionProvider;
import dev.vlflow.engine.runtime.DecoderRunner;
import dev.vlflow.engine.runtime.LogitRows;
import dev.vlflow.engine.runtime.Sampler;
import dev.vlflow.kv.FloatKvCache;
import dev.vlflow.kv.KvCache;
import dev.vlflow.kv.KvCacheConfig;
import dev.vlflow.kv.PagedKvCache;
import dev.vlflow.kv.PagedKvCacheParts;
import dev.vlflow.kv.PrecisionPolicy;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cache after a verification whose drafts were all rejected is byte-identical to one that never saw the drafts:
 * the same cache with only the pending token's K/V appended (float cache: keys, values and positions of every
 * layer; paged 4-bit cache with a 32-token fp32 window: its serialized bytes and its keyed-state tails, row ids
 * included). The reference uses
 * the K/V the verification pass computed for the pending token, since ONNX Runtime may round a row computed in a
 * block differently from the same row alone (ALGORITHMS.md §0, numerical caveat); the step's correction token is
 * the plain greedy token.
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
                .directory(), EngineOptions.defaults().withProvider(ExecutionProvider.cpu(1)));
    }

    @AfterAll
    void close() {
        model.close();
    }

    /** Three independent, identical caches of one prefill (two prefills may differ in low-order bits). */
    private KvCache[] triplets(KvCacheFactory kind) {
        KvCache cache = prefilled(kind);
        if (cache instanceof PagedKvCache paged) {
            byte[] bytes = paged.toBytes();
            return new KvCache[] {PagedKvCache.fromBytes(bytes), PagedKvCache.fromBytes(bytes),
                PagedKvCache.fromBytes(bytes)};
        }
        return new KvCache[] {cache.fork(), cache.fork(), cache.fork()};
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

    /**
     * Verifies {@code [pending, 4 wrong drafts]} on one cache, recording what each layer appended; appends only the
     * pending token's recorded rows to an equal cache ("never drafted"); returns both caches.
     */
    private KvCache[] stepBoth(KvCacheFactory kind) {
        DecoderRunner d = model.decoder();
        int pending = 42;
        KvCache[] caches = triplets(kind);
        KvCache plain = caches[0];
        float[] logits = d.forward(d.embed(new int[] {pending}), 1, new int[] {PROMPT}, caches[2], LogitRows.LAST)
                .row(0);
        model.maskUngeneratable(logits);
        int greedy = Sampler.argmax(logits);
        int wrong = (greedy + 1) % 300;
        KvRecorder speculative = new KvRecorder(caches[1]);
        NgramIndex text = new NgramIndex(1);
        text.addAll(new int[] {pending, wrong, 7, 8, 9, pending});
        Speculator s = Speculator.create(d, model::maskUngeneratable, new Sampler(Sampling.greedy()),
                Decoding.of(new DrafterSpec.PromptLookup(1, 1, 4, 4)), Optional.empty(), Optional.empty());
        Acceptance a = s.step(pending, PROMPT, speculative, text, 8);
        assertEquals(4, a.proposed());
        assertEquals(0, a.acceptedCount());
        assertEquals(greedy, a.next(), "the correction is the plain greedy token");
        assertNotEquals(wrong, greedy);
        int w = plain.shape().tokenWidth();
        for (int layer = 0; layer < plain.shape().layers(); layer++) {
            plain.append(layer, Arrays.copyOf(speculative.appendedKeys(layer), w),
                    Arrays.copyOf(speculative.appendedValues(layer), w), new int[] {PROMPT}, 1);
        }
        return new KvCache[] {plain, caches[1]};
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
        PagedKvCache plain = (PagedKvCache) c[0];
        PagedKvCache spec = (PagedKvCache) c[1];
        assertArrayEquals(plain.toBytes(), spec.toBytes());
        for (int layer = 0; layer < model.cacheShape().layers(); layer++) {
            // the keyed-state form too: page and row ids, and the next id to give
            assertArrayEquals(PagedKvCacheParts.tail(plain, layer), PagedKvCacheParts.tail(spec, layer));
        }
    }
}

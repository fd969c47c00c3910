package dev.vlflow.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vlflow.engine.model.make.ModelMaker;
import dev.vlflow.engine.model.make.ModelPreset;
import dev.vlflow.engine.runtime.DecoderRunner;
import dev.vlflow.engine.runtime.ForwardResult;
import dev.vlflow.engine.runtime.LogitRows;
import dev.vlflow.engine.zipvl.PromptPart;
import dev.vlflow.engine.zipvl.VideoSpan;
import dev.vlflow.engine.zipvl.ZipVlOptions;
import dev.vlflow.engine.zipvl.ZipVlStats;
import dev.vlflow.kv.AttentionMask;
import dev.vlflow.kv.AttentionQuery;
import dev.vlflow.kv.ForwardingKvCache;
import dev.vlflow.kv.KvCache;
import dev.vlflow.kv.KvCacheConfig;
import dev.vlflow.kv.PagedKvCache;
import dev.vlflow.kv.PrecisionPolicy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * ZipVL through the engine on {@code tiny-random} (8 frames, about 150 prompt tokens, prefill chunks of 64): tau = 1
 * with a 16-bit cache reproduces the dense engine; the §1.7 invariants of every attention call; decode
 * re-compression keeps at most 100 full-precision tokens.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ZipVlEngineTest {

    @TempDir
    static Path temp;

    Path dir;
    VlModel dense;
    float[] inputs;
    int tokens;

    @BeforeAll
    void load() {
        dir = ModelMaker.make(ModelMaker.Request.of(ModelPreset.TINY_RANDOM, temp.resolve("tiny"))).directory();
        dense = VlModel.load(dir, EngineOptions.defaults().withPrefillChunk(64));
        DecoderRunner d = dense.decoder();
        float[] px = EngineParityTest.pixels(dense.config(), 8, 5);
        inputs = EngineParityTest.concat(d.embed(dense.prompts().videoHeader()), dense.encodeFrames(px, 8).rows(),
                dense.newline(), d.embed(dense.prompts().questionTail("Which shape appears first?")));
        tokens = inputs.length / dense.config().text().hiddenSize();
    }

    @AfterAll
    void close() {
        dense.close();
    }

    private VlModel zipvl(ZipVlOptions options) {
        return VlModel.load(dir, EngineOptions.defaults().withPrefillChunk(64).withZipVl(Optional.of(options)));
    }

    private int[] positions() {
        int[] pos = new int[tokens];
        for (int i = 0; i < tokens; i++) {
            pos[i] = i;
        }
        return pos;
    }

    private KvCache cache(PrecisionPolicy policy, int window) {
        return KvCacheFactory.of(new KvCacheConfig(policy, 64, 32, window)).create(dense.cacheShape());
    }

    private static List<Integer> greedy(DecoderRunner d, float[] inputs, int tokens, int[] positions, KvCache cache,
                                        int steps) {
        ForwardResult r = d.prefill(inputs, tokens, positions, cache, 64);
        List<Integer> ids = new ArrayList<>();
        int position = tokens;
        for (int s = 0; s < steps; s++) {
            float[] logits = r.row(0);
            int id = 0;
            for (int i = 1; i < logits.length; i++) {
                id = logits[i] > logits[id] ? i : id;
            }
            ids.add(id);
            r = d.forward(d.embed(new int[] {id}), 1, new int[] {position++}, cache, LogitRows.LAST);
        }
        return ids;
    }

    @Test
    void tauOneWithASixteenBitCacheReproducesTheDenseEngine() {
        PrecisionPolicy sixteen = new PrecisionPolicy.Uniform(16);
        float[] exact = dense.decoder().prefill(inputs, tokens, positions(), cache(sixteen, 0), 64).row(0);
        try (VlModel z = zipvl(ZipVlOptions.defaults().withTau(1.0))) {
            float[] zipLogits = z.decoder().prefill(inputs, tokens, positions(), cache(sixteen, 0), 64).row(0);
            assertArrayEquals(exact, zipLogits, 1e-4f);
            assertEquals(greedy(dense.decoder(), inputs, tokens, positions(), cache(sixteen, 0), 6),
                    greedy(z.decoder(), inputs, tokens, positions(), cache(sixteen, 0), 6));
        }
    }

    @Test
    void everySparseLayerQueriesItsSortedImportantTokensAtTheirOriginalPositions() {
        // 16 + 16 probes, so chunks of 64 are sparse (a chunk of at most 32 rows is all probes and attends densely)
        ZipVlOptions options = ZipVlOptions.defaults().withForcedRatio(0.3).withProbes(16, 16);
        Recording cache = new Recording(cache(new PrecisionPolicy.MixedByImportance(4, 2), 128));
        List<ZipVlStats> stats = new ArrayList<>();
        try (VlModel z = zipvl(options)) {
            z.decoder().prefill(inputs, tokens, positions(), cache, 64, stats::add);
        }
        int sparseChunks = 0;
        for (int from = 0; from < tokens; from += 64) {
            sparseChunks += Math.min(64, tokens - from) > 32 ? 1 : 0;
        }
        for (Call c : cache.calls) {
            int from = c.chunk * 64;
            int n = Math.min(64, tokens - from);
            AttentionQuery q = c.query;
            if (c.layer == 0) {
                assertInstanceOf(AttentionMask.Causal.class, q.mask(), "layer 0 is dense");
                assertEquals(n, q.count());
                continue;
            }
            if (q.keyMass().isPresent()) {
                continue; // the probe rows
            }
            AttentionMask.Subset subset = assertInstanceOf(AttentionMask.Subset.class, q.mask());
            int[] p = Arrays.copyOf(q.positions(), q.count());
            assertTrue(p.length >= 1);
            for (int i = 0; i < p.length; i++) {
                assertTrue(p[i] >= from && p[i] < from + n, "original positions of the chunk");
                assertTrue(i == 0 || p[i] > p[i - 1], "sorted");
                assertTrue(subset.contains(p[i]), "an important token sees itself");
            }
            assertEquals(from + n - 1, p[p.length - 1], "the last token is kept");
            assertEquals(Math.max(1, Math.round(0.3 * n)) + (c.lastForced ? 1 : 0), p.length);
        }
        long sparseCalls = cache.calls.stream().filter(c -> c.query.mask() instanceof AttentionMask.Subset).count();
        assertEquals((long) sparseChunks * (dense.config().text().numHiddenLayers() - 1), sparseCalls);
        assertEquals(1, stats.size());
        assertEquals(1.0, stats.get(0).keptRatio(0));
        assertTrue(stats.get(0).keptRatio(1) < 0.4, "forced ratio 0.3: " + stats.get(0).keptRatio(1));
        assertTrue(stats.get(0).attentionFlopsSaved() > 0, "saved " + stats.get(0).attentionFlopsSaved());
        for (int layer = 0; layer < dense.cacheShape().layers(); layer++) {
            assertEquals(0, cache.unsealed(layer), "the prompt is quantized whole");
            assertEquals(tokens, cache.size(layer));
        }
    }

    @Test
    void decodeKeepsAtMostOneHundredFullPrecisionTokens() {
        KvCache cache = cache(new PrecisionPolicy.MixedByImportance(4, 2), 128);
        try (VlModel z = zipvl(ZipVlOptions.defaults())) {
            DecoderRunner d = z.decoder();
            d.prefill(inputs, tokens, positions(), cache, 64);
            PagedKvCache paged = (PagedKvCache) cache;
            for (int step = 1; step <= 230; step++) {
                d.forward(d.embed(new int[] {step % 50}), 1, new int[] {tokens + step - 1}, cache, LogitRows.LAST);
                for (int layer = 0; layer < paged.shape().layers(); layer++) {
                    long fp = Arrays.stream(paged.storedBits(layer)).filter(b -> b == 32).count();
                    assertTrue(fp <= 100, "layer " + layer + " step " + step + ": " + fp + " fp32 tokens");
                    assertEquals(step % 100, cache.unsealed(layer));
                }
            }
            assertTrue(Arrays.stream(paged.storedBits(1)).anyMatch(b -> b == 2), "some tokens demoted to 2 bits");
            assertFalse(Arrays.stream(paged.storedBits(1)).allMatch(b -> b == 2));
            assertEquals(tokens + 230, cache.size(1));
        }
    }

    @Test
    void progressiveDroppingRemovesUnimportantVideoTokensFromTheLaterLayersOnly() {
        // forced ratio 0.3 on sparse chunks (16 + 16 probes); a token unimportant in one layer from layer 1 on leaves
        ZipVlOptions options = ZipVlOptions.defaults().withForcedRatio(0.3).withProbes(16, 16)
                .withDropping(new ZipVlOptions.Dropping(1, 1, 0.9));
        PagedKvCache cache = (PagedKvCache) cache(new PrecisionPolicy.MixedByImportance(4, 2), 128);
        int header = dense.prompts().videoHeader().length;
        List<ZipVlStats> stats = new ArrayList<>();
        int layers = dense.cacheShape().layers();
        try (VlModel z = zipvl(options)) {
            ForwardResult r = z.decoder().prefill(inputs, tokens, positions(), cache, 64, PromptPart.CONTEXT,
                    stats::add, () -> { }, VideoSpan.from(header));
            assertEquals(1, r.rows());
            // decoding goes on over a cache whose layers hold different tokens
            r = z.decoder().forward(z.decoder().embed(new int[] {5}), 1, new int[] {tokens}, cache, LogitRows.LAST);
            assertTrue(Float.isFinite(r.row(0)[0]));
        }
        assertEquals(tokens + 1, cache.size(0), "layers 0 and 1 run every token");
        assertEquals(tokens + 1, cache.size(1));
        for (int layer = 2; layer < layers; layer++) {
            assertTrue(cache.size(layer) < cache.size(layer - 1) || cache.size(layer) == cache.size(layer - 1),
                    "fewer tokens in later layers");
            int[] pos = Arrays.stream(cache.positions(layer)).sorted().toArray();
            for (int p = 0; p < header; p++) {
                assertTrue(Arrays.binarySearch(pos, p) >= 0, "text position " + p + " kept in layer " + layer);
            }
            for (int end = Math.min(64, tokens); ; end = Math.min(end + 64, tokens)) {
                assertTrue(Arrays.binarySearch(pos, end - 1) >= 0, "each chunk's last token stays");
                if (end == tokens) {
                    break;
                }
            }
            // at most 90% of the video tokens a layer ran are dropped after it
            int video = cache.size(layer - 1) - 1 - header;
            assertTrue(cache.size(layer) - 1 - header >= Math.ceil(0.1 * video) - 2 /* one last token per chunk */,
                    "layer " + layer + ": " + cache.size(layer) + " of " + cache.size(layer - 1));
        }
        assertTrue(cache.size(layers - 1) < tokens, "something was dropped: " + cache.size(layers - 1));
        ZipVlStats s0 = stats.get(0);
        assertEquals(tokens, s0.tokens()[0]);
        assertTrue(s0.rowShare() < 1, "rows run: " + s0.rowShare());
    }

    @Test
    void droppingWithNothingUnimportantChangesNothing() {
        PrecisionPolicy sixteen = new PrecisionPolicy.Uniform(16);
        int header = dense.prompts().videoHeader().length;
        try (VlModel plain = zipvl(ZipVlOptions.defaults().withTau(1.0));
             VlModel dropping = zipvl(ZipVlOptions.defaults().withTau(1.0)
                     .withDropping(new ZipVlOptions.Dropping(1, 1, 0.9)))) {
            KvCache a = cache(sixteen, 0);
            KvCache b = cache(sixteen, 0);
            float[] x = plain.decoder().prefill(inputs, tokens, positions(), a, 64, PromptPart.CONTEXT, s -> { },
                    () -> { }, VideoSpan.from(header)).row(0);
            float[] y = dropping.decoder().prefill(inputs, tokens, positions(), b, 64, PromptPart.CONTEXT, s -> { },
                    () -> { }, VideoSpan.from(header)).row(0);
            assertArrayEquals(x, y);
            for (int layer = 0; layer < dense.cacheShape().layers(); layer++) {
                assertEquals(tokens, b.size(layer));
            }
        }
    }

    private record Call(int layer, int chunk, AttentionQuery query, boolean lastForced) {
    }

    /** Records every attention call and importance mark of a delegate cache. */
    private static final class Recording extends ForwardingKvCache {
        final List<Call> calls = new ArrayList<>();
        final int[] attends;
        boolean[] lastMark;

        Recording(KvCache cache) {
            super(cache);
            this.attends = new int[cache.shape().layers()];
        }

        @Override
        public void attend(int layer, AttentionQuery query, float[] out) {
            int perChunk = layer == 0 ? 1 : 2;
            int chunk = attends[layer]++ / perChunk;
            boolean forcedLastAdded = false;
            if (query.mask() instanceof AttentionMask.Subset && lastMark != null) {
                int marked = 0;
                for (boolean b : lastMark) {
                    marked += b ? 1 : 0;
                }
                assertEquals(marked, query.count(), "the important rows are the queried rows");
                assertTrue(lastMark[lastMark.length - 1]);
                forcedLastAdded = marked != Math.max(1, Math.round(0.3 * lastMark.length));
            }
            calls.add(new Call(layer, chunk, query, forcedLastAdded));
            super.attend(layer, query, out);
        }

        @Override
        public void markImportance(int layer, boolean[] important) {
            lastMark = important.clone();
            super.markImportance(layer, important);
        }
    }
}

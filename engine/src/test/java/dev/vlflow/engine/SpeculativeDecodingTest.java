package dev.vlflow.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vlflow.engine.decode.Decoding;
import dev.vlflow.engine.decode.DraftHead;
import dev.vlflow.engine.decode.Speculator;
import dev.vlflow.engine.runtime.Sampler;
import dev.vlflow.engine.zipvl.ZipVlOptions;
import dev.vlflow.engine.decode.DrafterSpec;
import dev.vlflow.engine.decode.LayerSkipping;
import dev.vlflow.engine.decode.SkipSource;
import dev.vlflow.engine.model.make.ModelMaker;
import dev.vlflow.engine.model.make.ModelPreset;
import dev.vlflow.engine.onnx.ExecutionProvider;
import dev.vlflow.kv.KvCacheConfig;
import dev.vlflow.kv.PrecisionPolicy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Speculative decoding against plain greedy decoding on {@code tiny-random} (4 layers): for many questions and every
 * drafter the emitted ids are identical, with the float cache and with a quantized paged cache (8-bit, a 32-token
 * fp32 window, so tokens are quantized while answers are generated). ONNX Runtime runs with one intra-op thread, so a
 * row's numerics do not depend on how a multi-token pass is split over threads (ALGORITHMS.md §0).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SpeculativeDecodingTest {

    private static final int MAX_TOKENS = 40;
    private static final List<String> QUESTIONS = List.of("What happens?", "Describe the video.",
            "Which shape appears first?", "What colour is the square?", "How many objects move?",
            "Where does the circle go?", "What happens?");

    @TempDir
    static Path temp;

    Path dir;
    VlModel floats;
    VlModel quantized;
    VlModel zipvl;

    @BeforeAll
    void load() {
        dir = ModelMaker.make(ModelMaker.Request.of(ModelPreset.TINY_RANDOM, temp.resolve("tiny"))).directory();
        headOfIdentityAndNoise(128, 5).write(dir);
        EngineOptions oneThread = EngineOptions.defaults().withProvider(ExecutionProvider.cpu(1));
        floats = VlModel.load(dir, oneThread);
        quantized = VlModel.load(dir, oneThread.withKvCache(KvCacheFactory.of(
                new KvCacheConfig(new PrecisionPolicy.Uniform(8), 64, 32, 32))));
        // ZipVL prefill and a mixed 4/2 cache re-compressed every 16 generated tokens, so answers cross intervals
        zipvl = VlModel.load(dir, oneThread.withPrefillChunk(64)
                .withKvCache(KvCacheFactory.of(KvCacheConfig.of(new PrecisionPolicy.MixedByImportance(4, 2))))
                .withZipVl(java.util.Optional.of(ZipVlOptions.defaults().withProbes(16, 16).withDecodeInterval(16))));
    }

    @AfterAll
    void close() {
        floats.close();
        quantized.close();
        zipvl.close();
    }

    /** An untrained draft head: {@code f' = f + noise}, i.e. it predicts the token the target chose last. */
    static DraftHead headOfIdentityAndNoise(int hidden, long seed) {
        java.util.Random random = new java.util.Random(seed);
        float[] w = new float[2 * hidden * hidden];
        for (int r = 0; r < hidden; r++) {
            w[r * 2 * hidden + r] = 1;
            for (int c = 0; c < 2 * hidden; c++) {
                w[r * 2 * hidden + c] += (float) (0.01 * random.nextGaussian());
            }
        }
        return new DraftHead(hidden, w, new float[hidden]);
    }

    static DrafterSpec layerSkip(String skip) {
        return new DrafterSpec.LayerSkip(4, SkipSource.Configured.parse(skip));
    }

    /** Answers every question in one session (so searched skip sets and earlier answers carry over). */
    private static List<Answer> answers(VlModel model, Decoding decoding) {
        VlSession session = model.openSession();
        session.appendFrames(model.encodeFrames(EngineParityTest.pixels(model.config(), 2, 3), 2));
        List<Answer> out = new ArrayList<>();
        for (String q : QUESTIONS) {
            out.add(session.ask(q, GenerationOptions.greedy(MAX_TOKENS).withDecoding(decoding), TokenListener.none()));
        }
        return out;
    }

    private static void assertSameTokens(List<Answer> expected, List<Answer> actual, String what) {
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i).tokenIds(), actual.get(i).tokenIds(), what + ", question " + i);
            assertEquals(expected.get(i).stop(), actual.get(i).stop(), what + ", question " + i);
        }
    }

    private static List<DrafterSpec> drafters() {
        return List.of(DrafterSpec.PromptLookup.of(4), new DrafterSpec.PromptLookup(1, 1, 8, 8),
                new DrafterSpec.PromptLookup(2, 3, 8, 1),
                layerSkip("attn=1/mlp=2"), layerSkip("none"),
                new DrafterSpec.Tree(4, SkipSource.Configured.parse("attn=2"), 3),
                new DrafterSpec.LayerSkip(6, new SkipSource.Searched(0.45, 2, 6, 1)), new DrafterSpec.Head(4, 3));
    }

    @Test
    void everyDrafterEmitsPlainGreedyTokensWithTheFloatCache() {
        List<Answer> plain = answers(floats, Decoding.plain());
        for (DrafterSpec d : drafters()) {
            List<Answer> spec = answers(floats, Decoding.of(d));
            assertSameTokens(plain, spec, d.toString());
            int drafted = 0;
            int accepted = 0;
            for (Answer a : spec) {
                drafted += a.speculation().drafted();
                accepted += a.speculation().accepted();
                assertTrue(a.speculation().steps() <= a.tokenIds().size(), d + ": " + a.speculation());
            }
            assertTrue(drafted > 0 && accepted > 0, d + " drafted " + drafted + ", accepted " + accepted);
        }
    }

    @Test
    void everyDrafterEmitsPlainGreedyTokensWithAQuantizedCache() {
        List<Answer> plain = answers(quantized, Decoding.plain());
        for (DrafterSpec d : drafters()) {
            assertSameTokens(plain, answers(quantized, Decoding.of(d)), "quantized cache, " + d);
        }
    }

    @Test
    void everyDrafterEmitsPlainGreedyTokensWithZipVl() {
        List<Answer> plain = answers(zipvl, Decoding.plain());
        int drafted = 0;
        for (DrafterSpec d : drafters()) {
            List<Answer> spec = answers(zipvl, Decoding.of(d));
            assertSameTokens(plain, spec, "ZipVL, " + d);
            for (Answer a : spec) {
                drafted += a.speculation().drafted();
            }
        }
        assertTrue(plain.stream().anyMatch(a -> a.tokenIds().size() > 2 * 16), "answers cross re-compressions");
        assertTrue(drafted > 0, "drafts were verified between re-compressions");
    }

    @Test
    void theDraftHeadIsReadFromTheCheckpointAndRequiredByItsDrafter() {
        DraftHead head = floats.draftHead().orElseThrow();
        assertEquals(128, head.hidden());
        org.junit.jupiter.api.Assertions.assertArrayEquals(headOfIdentityAndNoise(128, 5).weight(), head.weight());
        org.junit.jupiter.api.Assertions.assertArrayEquals(new float[128], head.bias());
        IllegalArgumentException missing = org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class, () -> Speculator.create(floats.decoder(), floats::maskUngeneratable,
                        new Sampler(Sampling.greedy()), Decoding.of(new DrafterSpec.Head(4, 2)),
                        java.util.Optional.empty(), java.util.Optional.empty()));
        assertTrue(missing.getMessage().contains(DraftHead.FILE), missing.getMessage());
    }

    @Test
    void draftHeadDataPairsEveryAnswerToken() {
        VlSession session = floats.openSession();
        session.appendFrames(floats.encodeFrames(EngineParityTest.pixels(floats.config(), 2, 3), 2));
        dev.vlflow.engine.decode.DraftHeadFit fit = new dev.vlflow.engine.decode.DraftHeadFit(128);
        int tokens = 0;
        for (String q : QUESTIONS) {
            Answer a = session.ask(q, MAX_TOKENS);
            assertEquals(a.tokenIds().size(), DraftHeadData.collect(session, q, a.tokenIds(), fit));
            tokens += a.tokenIds().size();
        }
        assertEquals(tokens, fit.samples());
        assertEquals(2 * 128 * 128, fit.solve(1e-2).weight().length);
    }

    @Test
    void anEmptySkipSetAcceptsEveryDraft() {
        int drafted = 0;
        for (Answer a : answers(floats, Decoding.of(layerSkip("none")))) {
            assertEquals(a.speculation().drafted(), a.speculation().accepted(), a.speculation().toString());
            drafted += a.speculation().drafted();
        }
        assertTrue(drafted > QUESTIONS.size(), "drafted " + drafted);
    }

    @Test
    void draftLengthZeroIsPlainDecoding() {
        List<Answer> plain = answers(floats, Decoding.plain());
        for (DrafterSpec d : List.of(DrafterSpec.PromptLookup.of(0),
                new DrafterSpec.LayerSkip(0, SkipSource.Configured.parse("attn=1")),
                new DrafterSpec.Tree(0, SkipSource.Configured.parse("attn=1"), 4))) {
            List<Answer> spec = answers(floats, Decoding.of(d));
            assertSameTokens(plain, spec, d.toString());
            for (int i = 0; i < spec.size(); i++) {
                assertEquals(0, spec.get(i).speculation().drafted());
                assertEquals(plain.get(i).speculation(), spec.get(i).speculation());
            }
        }
    }

    @Test
    void samplingDraftsGoThroughTheRejectionRule() {
        GenerationOptions sampled = new GenerationOptions(MAX_TOKENS, new Sampling.TopP(0.8, 0.95, 11), List.of());
        VlSession plainSession = floats.openSession();
        plainSession.appendFrames(floats.encodeFrames(EngineParityTest.pixels(floats.config(), 2, 3), 2));
        Answer plain = plainSession.ask(QUESTIONS.get(0), sampled, TokenListener.none());
        int drafted = 0;
        for (DrafterSpec d : List.of(new DrafterSpec.PromptLookup(1, 3, 8, 8), layerSkip("none"))) {
            VlSession session = floats.openSession();
            session.appendFrames(floats.encodeFrames(EngineParityTest.pixels(floats.config(), 2, 3), 2));
            Answer a = session.ask(QUESTIONS.get(0), sampled.withDecoding(Decoding.of(d)), TokenListener.none());
            // the first token is drawn from the prompt's logits with the same seed, before any draft
            assertEquals(plain.tokenIds().get(0), a.tokenIds().get(0), d.toString());
            assertTrue(a.speculation().accepted() <= a.speculation().drafted());
            drafted += a.speculation().drafted();
        }
        assertTrue(drafted > 0, "candidates went through the rejection rule");
    }

    @Test
    void unifiedLayerSkippingWithSpeedupOneIsTheModel() {
        List<Answer> plain = answers(floats, Decoding.plain());
        List<Answer> uls = answers(floats, new Decoding(new DrafterSpec.None(), new LayerSkipping.Unified(1)));
        assertSameTokens(plain, uls, "ULS s=1");
        List<Answer> lossy = answers(floats, new Decoding(new DrafterSpec.None(), new LayerSkipping.Unified(2)));
        assertTrue(lossy.get(0).decoding().lossy(), "s=2 is marked lossy");
        assertEquals(plain.size(), lossy.size());
    }
}

package dev.vlflow.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vlflow.engine.model.make.ModelMaker;
import dev.vlflow.engine.model.make.ModelPreset;
import dev.vlflow.engine.runtime.DecoderRunner;
import dev.vlflow.engine.zipvl.PromptPart;
import dev.vlflow.engine.zipvl.ZipVlOptions;
import dev.vlflow.kv.KvCache;
import dev.vlflow.kv.KvCacheConfig;
import dev.vlflow.kv.PagedKvCache;
import dev.vlflow.kv.PrecisionPolicy;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * ZipVL sessions on {@code tiny-random} with the mixed 4/2 cache (8 frames, chunks of 64, 16 + 16 probes): a
 * question's demotion of cached tokens (§1.9) and snapshot/restore of a ZipVL cache.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ZipVlSessionTest {

    private static final String QUESTION = "Which shape appears first?";

    @TempDir
    static Path temp;

    Path dir;
    FrameEmbeddings frames;

    @BeforeAll
    void load() {
        dir = ModelMaker.make(ModelMaker.Request.of(ModelPreset.TINY_RANDOM, temp.resolve("tiny"))).directory();
        try (VlModel m = VlModel.load(dir)) {
            frames = m.encodeFrames(EngineParityTest.pixels(m.config(), 8, 5), 8);
        }
    }

    private VlModel model(ZipVlOptions z) {
        return VlModel.load(dir, EngineOptions.defaults().withPrefillChunk(64)
                .withKvCache(KvCacheFactory.of(KvCacheConfig.of(new PrecisionPolicy.MixedByImportance(4, 2))))
                .withZipVl(Optional.of(z.withProbes(16, 16))));
    }

    private Answer answer(ZipVlOptions z) {
        try (VlModel m = model(z)) {
            VlSession s = m.openSession();
            s.appendFrames(frames);
            return s.ask(QUESTION, 6);
        }
    }

    @Test
    void demotionWithTauOneLeavesAnswersUnchanged() {
        ZipVlOptions tauOne = ZipVlOptions.defaults().withTau(1.0);
        Answer demoted = answer(tauOne.withDemotion(ZipVlOptions.Demotion.DEMOTE));
        Answer kept = answer(tauOne.withDemotion(ZipVlOptions.Demotion.KEEP));
        assertEquals(kept.tokenIds(), demoted.tokenIds());
        assertEquals(kept.kvBytes(), demoted.kvBytes(), "tau = 1 demotes nothing");
    }

    @Test
    void aQuestionDemotesTheCachedTokensItFindsUnimportantToTwoBits() {
        ZipVlOptions half = ZipVlOptions.defaults().withTau(0.5);
        int demoted = lowBitSlots(half.withDemotion(ZipVlOptions.Demotion.DEMOTE));
        int kept = lowBitSlots(half.withDemotion(ZipVlOptions.Demotion.KEEP));
        assertTrue(demoted > kept, "2-bit slots after the question: demote " + demoted + ", keep " + kept);
    }

    /** 2-bit slots of layer 1 after the video and a question's prefill. */
    private int lowBitSlots(ZipVlOptions z) {
        try (VlModel m = model(z)) {
            VlSession s = m.openSession();
            s.appendFrames(frames);
            KvCache fork = s.cache().fork();
            DecoderRunner d = m.decoder();
            int[] ids = m.prompts().questionTail(QUESTION);
            int[] positions = new int[ids.length];
            for (int i = 0; i < ids.length; i++) {
                positions[i] = s.contextTokens() + i;
            }
            d.prefill(d.embed(ids), ids.length, positions, fork, 64, PromptPart.QUESTION, stats -> { });
            return (int) Arrays.stream(((PagedKvCache) fork).storedBits(1)).filter(b -> b == 2).count();
        }
    }

    @Test
    void aZipVlCacheSurvivesSnapshotAndRestoreBitForBit() {
        try (VlModel m = model(ZipVlOptions.defaults())) {
            VlSession s = m.openSession();
            s.appendFrames(frames);
            PagedKvCache cache = (PagedKvCache) s.cache();
            byte[] bytes = cache.toBytes();
            PagedKvCache restored = PagedKvCache.fromBytes(bytes);
            assertArrayEquals(bytes, restored.toBytes());
            for (int layer = 0; layer < cache.shape().layers(); layer++) {
                assertEquals(0, restored.unsealed(layer), "the prompt is sealed");
                assertArrayEquals(cache.storedBits(layer), restored.storedBits(layer));
            }
            VlSession resumed = m.resumeSession(restored, s.state());
            assertEquals(s.ask(QUESTION, 6).tokenIds(), resumed.ask(QUESTION, 6).tokenIds());
        }
    }
}

package dev.vlflow.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vlflow.engine.model.make.ModelMaker;
import dev.vlflow.engine.model.make.ModelPreset;
import dev.vlflow.engine.zipvl.ZipVlOptions;
import dev.vlflow.engine.zipvl.ZipVlStats;
import dev.vlflow.kv.KvCacheConfig;
import dev.vlflow.kv.PrecisionPolicy;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * ZipVL with question-aware probes: the whole prompt (header, frames, newline, question) prefilled as one block,
 * against the usual path (frames, then the question on a fork). Dense and tau = 1 on a 16-bit cache answer exactly
 * as the usual path does; with sparse attention the one block ranks video tokens by the question's rows.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ZipVlWholePromptTest {

    private static final List<String> QUESTIONS = List.of("What happens?", "Which shape appears first?",
            "What colour is the square?");

    @TempDir
    static Path temp;

    Path dir;
    VlModel dense;
    FrameEmbeddings frames;

    @BeforeAll
    void load() {
        dir = ModelMaker.make(ModelMaker.Request.of(ModelPreset.TINY_RANDOM, temp.resolve("tiny"))).directory();
        dense = VlModel.load(dir, EngineOptions.defaults());
        frames = dense.encodeFrames(EngineParityTest.pixels(dense.config(), 8, 21), 8);
    }

    @AfterAll
    void close() {
        dense.close();
    }

    private static List<Integer> usual(VlModel model, FrameEmbeddings frames, String question) {
        VlSession s = model.openSession();
        s.appendFrames(frames);
        return s.ask(question, GenerationOptions.greedy(12), TokenListener.none()).tokenIds();
    }

    private static List<Integer> whole(VlModel model, FrameEmbeddings frames, String question) {
        return model.openSession().askWholePrompt(frames, question, GenerationOptions.greedy(12),
                TokenListener.none()).tokenIds();
    }

    @Test
    void denseWholePromptAnswersAsTheUsualPath() {
        for (String q : QUESTIONS) {
            assertEquals(usual(dense, frames, q), whole(dense, frames, q), q);
        }
    }

    @Test
    void tauOneOnASixteenBitCacheAnswersAsTheDenseEngine() {
        try (VlModel z = VlModel.load(dir, EngineOptions.defaults().withZipVl(Optional.of(ZipVlOptions.defaults()
                .withTau(1.0))).withKvCache(KvCacheFactory.of(KvCacheConfig.of(new PrecisionPolicy.Uniform(16)))))) {
            for (String q : QUESTIONS) {
                assertEquals(usual(dense, frames, q), whole(z, frames, q), q);
            }
        }
    }

    @Test
    void theWholePromptIsOneSparseBlockRankedByTheQuestionsRowsAndTheSessionStaysEmpty() {
        ZipVlOptions options = ZipVlOptions.defaults().withForcedRatio(0.3).withProbes(16, 16);
        try (VlModel z = VlModel.load(dir, EngineOptions.defaults().withZipVl(Optional.of(options))
                .withKvCache(KvCacheFactory.of(KvCacheConfig.of(new PrecisionPolicy.MixedByImportance(4, 2)))))) {
            VlSession session = z.openSession();
            Answer a = session.askWholePrompt(frames, "Which shape appears first?", GenerationOptions.greedy(8),
                    TokenListener.none());
            int prompt = z.prompts().videoHeader().length + frames.tokens() + 1
                    + z.prompts().questionTail("Which shape appears first?").length;
            assertEquals(prompt, a.promptTokens());
            assertEquals(0, a.contextTokens());
            assertEquals(0, session.contextTokens(), "the session is unchanged");
            ZipVlStats stats = session.zipVlStats().orElseThrow();
            assertEquals(prompt, stats.tokens()[1], "one block: every prompt token ranked in layer 1");
            assertTrue(stats.keptRatio(1) < 0.4, "forced ratio 0.3 over the whole prompt: " + stats.keptRatio(1));
            VlSession used = z.openSession();
            used.appendFrames(frames);
            assertThrows(IllegalStateException.class, () -> used.startWholePrompt(frames, "Again?",
                    GenerationOptions.greedy(4), TokenListener.none()));
        }
    }
}

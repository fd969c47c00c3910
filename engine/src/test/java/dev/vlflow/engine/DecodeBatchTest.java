package dev.vlflow.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vlflow.engine.decode.Decoding;
import dev.vlflow.engine.decode.DrafterSpec;
import dev.vlflow.engine.model.make.ModelMaker;
import dev.vlflow.engine.model.make.ModelPreset;
import dev.vlflow.engine.onnx.ExecutionProvider;
import dev.vlflow.kv.KvCacheConfig;
import dev.vlflow.kv.PrecisionPolicy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Continuous batching against answering one question at a time on {@code tiny-random}: 1 to 16 answers of several
 * streams, with different token limits (so they leave the batch at different steps) and joining at different steps,
 * stepped together by {@link DecodeBatch}, emit exactly the tokens each emits alone — greedy and seeded sampling,
 * float and quantized caches, plain decoding mixed with prompt lookup in one batch.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DecodeBatchTest {

    private static final List<String> QUESTIONS = List.of("What happens?", "Describe the video.",
            "Which shape appears first?", "What colour is the square?", "How many objects move?",
            "Where does the circle go?");

    @TempDir
    static Path temp;

    VlModel floats;
    VlModel quantized;

    @BeforeAll
    void load() {
        Path dir = ModelMaker.make(ModelMaker.Request.of(ModelPreset.TINY_RANDOM, temp.resolve("tiny"))).directory();
        EngineOptions oneThread = EngineOptions.defaults().withProvider(ExecutionProvider.cpu(1));
        floats = VlModel.load(dir, oneThread);
        quantized = VlModel.load(dir, oneThread.withKvCache(KvCacheFactory.of(
                new KvCacheConfig(new PrecisionPolicy.Uniform(4), 32, 16, 16))));
    }

    @AfterAll
    void close() {
        floats.close();
        quantized.close();
    }

    /** One question of a test case: its stream, text, options and the step at which it joins the batch. */
    private record Ask(int stream, String question, GenerationOptions options, int joinAt) {
    }

    private static List<VlSession> streams(VlModel model, int n) {
        List<VlSession> sessions = new ArrayList<>();
        for (int s = 0; s < n; s++) {
            VlSession session = model.openSession();
            session.appendFrames(model.encodeFrames(EngineParityTest.pixels(model.config(), 1 + s % 2, 10 + s),
                    1 + s % 2));
            sessions.add(session);
        }
        return sessions;
    }

    private static List<Ask> asks(int n, long seed, boolean mixDrafters, boolean sample) {
        Random random = new Random(seed);
        List<Ask> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Sampling sampling = sample && i % 2 == 1 ? new Sampling.TopP(0.8, 0.9, 100 + i) : Sampling.greedy();
            Decoding decoding = mixDrafters && i % 3 == 2 ? Decoding.of(DrafterSpec.PromptLookup.of(4))
                    : Decoding.plain();
            GenerationOptions options = new GenerationOptions(4 + random.nextInt(30), sampling, List.of(), decoding);
            out.add(new Ask(i % 3, QUESTIONS.get(random.nextInt(QUESTIONS.size())), options, random.nextInt(6)));
        }
        return out;
    }

    private static List<List<Integer>> alone(VlModel model, List<Ask> asks) {
        List<VlSession> sessions = streams(model, 3);
        List<List<Integer>> out = new ArrayList<>();
        for (Ask a : asks) {
            out.add(sessions.get(a.stream()).ask(a.question(), a.options(), TokenListener.none()).tokenIds());
        }
        return out;
    }

    private static List<List<Integer>> batched(VlModel model, List<Ask> asks, List<DecodeBatch.Step> steps) {
        List<VlSession> sessions = streams(model, 3);
        List<List<Integer>> streamed = new ArrayList<>();
        List<Generation> generations = new ArrayList<>();
        for (int i = 0; i < asks.size(); i++) {
            streamed.add(new ArrayList<>());
            generations.add(null);
        }
        DecodeBatch batch = new DecodeBatch(8);
        for (int step = 0; ; step++) {
            for (int i = 0; i < asks.size(); i++) {
                Ask a = asks.get(i);
                if (a.joinAt() == step) {
                    List<Integer> sink = streamed.get(i);
                    generations.set(i, sessions.get(a.stream()).start(a.question(), a.options(),
                            (index, id, text) -> sink.add(id)));
                }
            }
            List<Generation> active = generations.stream().filter(g -> g != null && !g.finished()).toList();
            if (active.isEmpty() && step > 6) {
                break;
            }
            steps.add(batch.step(active));
        }
        for (int i = 0; i < asks.size(); i++) {
            assertEquals(streamed.get(i), generations.get(i).answer().tokenIds(), "streamed tokens of answer " + i);
        }
        return generations.stream().map(g -> g.answer().tokenIds()).toList();
    }

    private void assertBatchedEqualsAlone(VlModel model, int n, long seed, boolean mix, boolean sample) {
        List<Ask> asks = asks(n, seed, mix, sample);
        List<DecodeBatch.Step> steps = new ArrayList<>();
        List<List<Integer>> batched = batched(model, asks, steps);
        assertEquals(alone(model, asks), batched, n + " answers, seed " + seed);
        if (n > 1) {
            int widest = steps.stream().mapToInt(DecodeBatch.Step::rows).max().orElse(0);
            assertTrue(widest > 1, "some pass held several answers' rows: " + steps);
        }
    }

    @Test
    void greedyBatchesOfOneToSixteenEqualAnswersAlone() {
        for (int n : new int[] {1, 2, 3, 5, 8, 16}) {
            assertBatchedEqualsAlone(floats, n, 17 + n, false, false);
        }
    }

    @Test
    void seededSamplingAndPromptLookupInTheSameBatch() {
        assertBatchedEqualsAlone(floats, 9, 5, true, true);
    }

    @Test
    void quantizedCachesBatchToo() {
        assertBatchedEqualsAlone(quantized, 6, 3, true, false);
    }

    @Test
    void aBatchLargerThanThePassLimitIsSplit() {
        List<VlSession> sessions = streams(floats, 3);
        List<Generation> gens = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            gens.add(sessions.get(i % 3).start(QUESTIONS.get(i % QUESTIONS.size()), GenerationOptions.greedy(20),
                    TokenListener.none()));
        }
        DecodeBatch batch = new DecodeBatch(4);
        DecodeBatch.Step first = batch.step(gens); // first tokens come from the prefills: no pass
        assertEquals(new DecodeBatch.Step(10, 0, 0), first);
        DecodeBatch.Step second = batch.step(gens);
        assertEquals(10, second.answers());
        assertEquals(10, second.rows());
        assertEquals(3, second.passes()); // 4 + 4 + 2 rows
    }
}

package dev.vlflow.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vlflow.engine.model.Checkpoint;
import dev.vlflow.engine.model.DType;
import dev.vlflow.engine.model.ModelConfig;
import dev.vlflow.engine.model.TensorLayout;
import dev.vlflow.engine.model.make.ModelMaker;
import dev.vlflow.engine.model.make.ModelPreset;
import dev.vlflow.engine.reference.ReferenceLlava;
import dev.vlflow.engine.runtime.DecoderRunner;
import dev.vlflow.engine.runtime.ForwardResult;
import dev.vlflow.engine.runtime.LogitRows;
import dev.vlflow.engine.runtime.Sampler;
import dev.vlflow.kv.FloatKvCache;
import dev.vlflow.kv.KvCache;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The engine (ONNX Runtime dense parts + Java attention over the KV cache) against the plain Java reference forward
 * of the same {@code tiny-random} checkpoint. Tolerance: 1e-3 absolute on every logit (fp32).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EngineParityTest {

    static final float TOLERANCE = 1e-3f;

    @TempDir
    static Path temp;

    VlModel model;
    Checkpoint weights;
    ReferenceLlava reference;

    @BeforeAll
    void load() {
        Path dir = ModelMaker.make(ModelMaker.Request.of(ModelPreset.TINY_RANDOM, temp.resolve("tiny"))).directory();
        model = VlModel.load(dir, EngineOptions.defaults().withPrefillChunk(16));
        weights = Checkpoint.open(dir);
        reference = new ReferenceLlava(weights);
    }

    @AfterAll
    void close() {
        model.close();
        weights.close();
    }

    static float[] pixels(ModelConfig config, int frames, long seed) {
        int s = config.vision().imageSize();
        float[] p = new float[frames * 3 * s * s];
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < p.length; i++) {
            p[i] = (float) random.nextDouble(-1, 1);
        }
        return p;
    }

    @Test
    void frameEncodingMatchesReference() {
        ModelConfig config = model.config();
        float[] px = pixels(config, 3, 1);
        FrameEmbeddings engine = model.encodeFrames(px, 3);
        float[] ref = reference.videoEmbeddings(px, 3); // [3*tpf + 1, H]: the reference appends the newline row
        int h = config.text().hiddenSize();
        assertEquals(ref.length, engine.rows().length + h);
        assertClose(Arrays.copyOf(ref, engine.rows().length), engine.rows(), TOLERANCE, "frame embeddings");
        assertArrayEquals(Arrays.copyOfRange(ref, engine.rows().length, ref.length), model.newline());
    }

    @ParameterizedTest(name = "{0} frame(s): {1}")
    @CsvSource({
            "1, 'What colour is the square?'",
            "2, 'Which way does the circle move?'",
            "3, 'How many shapes are there? Answer with a number.'",
    })
    void logitsOfEveryPromptPositionMatchReference(int frames, String question) {
        ModelConfig config = model.config();
        float[] px = pixels(config, frames, 100 + frames);
        int[] ids = model.prompts().fullPrompt(question, frames);
        float[] video = reference.videoEmbeddings(px, frames);
        float[] expected = reference.logits(ids, video); // [n, V]

        // the engine sees header ids, frame rows, the newline row and the question tail, prefilled in chunks of 16
        DecoderRunner decoder = model.decoder();
        int[] header = model.prompts().videoHeader();
        int[] tail = model.prompts().questionTail(question);
        FrameEmbeddings frameRows = model.encodeFrames(px, frames);
        float[] inputs = concat(decoder.embed(header), frameRows.rows(), model.newline(), decoder.embed(tail));
        int n = ids.length;
        assertEquals(n * config.text().hiddenSize(), inputs.length);
        KvCache cache = new FloatKvCache(model.cacheShape());
        float[] actual = new float[expected.length];
        int vocab = config.text().vocabSize();
        int h = config.text().hiddenSize();
        for (int start = 0; start < n; start += 16) {
            int m = Math.min(16, n - start);
            int[] pos = new int[m];
            for (int i = 0; i < m; i++) {
                pos[i] = start + i;
            }
            ForwardResult r = decoder.forward(Arrays.copyOfRange(inputs, start * h, (start + m) * h), m, pos, cache,
                    LogitRows.ALL);
            System.arraycopy(r.logits(), 0, actual, start * vocab, m * vocab);
        }
        assertClose(expected, actual, TOLERANCE, "logits for " + frames + " frames");
    }

    @Test
    void greedyTokensEqualReferenceGreedy() {
        ModelConfig config = model.config();
        int frames = 2;
        String question = "Describe the video.";
        float[] px = pixels(config, frames, 7);
        VlSession session = model.openSession();
        session.appendFrames(model.encodeFrames(px, frames));
        int maxTokens = 8;
        Answer answer = session.ask(question, GenerationOptions.greedy(maxTokens), TokenListener.none());

        float[] video = reference.videoEmbeddings(px, frames);
        List<Integer> prompt = new ArrayList<>();
        for (int id : model.prompts().fullPrompt(question, frames)) {
            prompt.add(id);
        }
        List<Integer> expected = new ArrayList<>();
        int vocab = config.text().vocabSize();
        for (int step = 0; step < maxTokens; step++) {
            int[] ids = prompt.stream().mapToInt(Integer::intValue).toArray();
            float[] logits = reference.logits(ids, video);
            float[] last = Arrays.copyOfRange(logits, (ids.length - 1) * vocab, ids.length * vocab);
            model.maskUngeneratable(last); // placeholders and padding rows are never generated
            int next = Sampler.argmax(last);
            if (config.eosTokenIds().contains(next)) {
                break;
            }
            expected.add(next);
            prompt.add(next);
        }
        assertEquals(expected, answer.tokenIds());
        assertTrue(answer.tokenIds().size() > 0, "the tiny model produced no token before stopping");
        for (int id : answer.tokenIds()) {
            assertTrue(id < model.tokenizer().vocabularySize() && id != config.videoTokenId()
                    && id != config.imageTokenId(), "generated an id that is never to be generated: " + id);
        }
        assertTrue(model.tokenizer().vocabularySize() < config.text().vocabSize(), "tiny-random pads its embedding");
    }

    @Test
    void questionsOnForksLeaveTheVideoContextUnchanged() {
        float[] px = pixels(model.config(), 2, 9);
        VlSession session = model.openSession();
        session.appendFrames(model.encodeFrames(px, 2));
        int context = session.contextTokens();
        long bytes = session.kvBytes();
        Answer first = session.ask("What happens?", 6);
        session.ask("Something else entirely?", 6);
        Answer again = session.ask("What happens?", 6);
        assertEquals(context, session.contextTokens());
        assertEquals(bytes, session.kvBytes());
        assertEquals(first.tokenIds(), again.tokenIds());
        assertEquals(context, first.contextTokens());
    }

    @Test
    void framesAppendedInSegmentsEqualFramesAppendedAtOnce() {
        float[] px = pixels(model.config(), 3, 21);
        VlSession whole = model.openSession();
        whole.appendFrames(model.encodeFrames(px, 3));
        VlSession parts = model.openSession();
        int frameFloats = px.length / 3;
        parts.appendFrames(model.encodeFrames(Arrays.copyOf(px, frameFloats), 1));
        parts.appendFrames(model.encodeFrames(Arrays.copyOfRange(px, frameFloats, px.length), 2));
        assertEquals(whole.contextTokens(), parts.contextTokens());
        assertEquals(whole.ask("What is shown?", 6).tokenIds(), parts.ask("What is shown?", 6).tokenIds());
    }

    @Test
    void bothTensorLayoutsAndBf16LoadToTheSameModel() {
        Path legacy = ModelMaker.make(ModelMaker.Request.of(ModelPreset.TINY_RANDOM, temp.resolve("legacy"))
                .withLayout(TensorLayout.LEGACY)).directory();
        float[] px = pixels(model.config(), 1, 3);
        String q = "What colour is it?";
        try (VlModel other = VlModel.load(legacy)) {
            assertArrayEquals(model.encodeFrames(px, 1).rows(), other.encodeFrames(px, 1).rows());
            assertArrayEquals(lastLogits(model, q, px), lastLogits(other, q, px));
        }
        Path bf16 = ModelMaker.make(ModelMaker.Request.of(ModelPreset.TINY_RANDOM, temp.resolve("bf16"))
                .withDtype(DType.BF16)).directory();
        try (VlModel other = VlModel.load(bf16); Checkpoint w = Checkpoint.open(bf16)) {
            // bf16 weights change the numbers; the engine must still match the reference on the bf16 checkpoint
            ReferenceLlava ref = new ReferenceLlava(w);
            int[] ids = other.prompts().fullPrompt(q, 1);
            float[] expected = ref.logits(ids, ref.videoEmbeddings(px, 1));
            int vocab = other.config().text().vocabSize();
            assertClose(Arrays.copyOfRange(expected, expected.length - vocab, expected.length), lastLogits(other, q, px),
                    TOLERANCE, "bf16 last logits");
        }
    }

    private static float[] lastLogits(VlModel m, String question, float[] px) {
        DecoderRunner d = m.decoder();
        float[] inputs = concat(d.embed(m.prompts().videoHeader()), m.encodeFrames(px, 1).rows(), m.newline(),
                d.embed(m.prompts().questionTail(question)));
        int n = inputs.length / m.config().text().hiddenSize();
        int[] pos = new int[n];
        for (int i = 0; i < n; i++) {
            pos[i] = i;
        }
        return d.prefill(inputs, n, pos, new FloatKvCache(m.cacheShape()), 64).row(0);
    }

    static float[] concat(float[]... parts) {
        int n = 0;
        for (float[] p : parts) {
            n += p.length;
        }
        float[] out = new float[n];
        int at = 0;
        for (float[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    static void assertClose(float[] expected, float[] actual, float tolerance, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        double worst = 0;
        int at = -1;
        for (int i = 0; i < expected.length; i++) {
            double d = Math.abs(expected[i] - actual[i]);
            if (!(d <= worst)) {
                worst = d;
                at = i;
            }
        }
        assertTrue(worst <= tolerance, what + ": max |difference| " + worst + " at " + at + " exceeds " + tolerance);
    }
}

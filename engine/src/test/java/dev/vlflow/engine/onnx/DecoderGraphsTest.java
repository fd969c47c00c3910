package dev.vlflow.engine.onnx;

import static dev.vlflow.engine.onnx.Close.assertClose;
import static dev.vlflow.engine.onnx.Close.random;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vlflow.engine.model.TextConfig;
import dev.vlflow.engine.reference.ReferenceQwen2;
import dev.vlflow.engine.testing.InMemoryWeights;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Decoder graphs (pre-/post-attention per layer, fused step, head) vs the plain Java reference
 * ({@link ReferenceQwen2}), within 1e-4.
 */
class DecoderGraphsTest {

    private static final double TOLERANCE = 1e-4;

    private static InMemoryWeights weights;
    private static OnnxModel model;
    private static ReferenceQwen2 reference;
    private static TextConfig text;

    @BeforeAll
    static void build() {
        weights = new InMemoryWeights(InMemoryWeights.tinyConfig(), 7);
        model = OnnxModel.build(weights, ExecutionProvider.cpu());
        reference = new ReferenceQwen2(weights);
        text = weights.config().text();
    }

    @AfterAll
    static void close() {
        model.close();
        weights.close();
    }

    @Test
    void preAttentionMatchesReferenceForOneAndManyTokens() {
        for (int layer = 0; layer < text.numHiddenLayers(); layer++) {
            for (int tokens : new int[] {1, 7}) {
                float[] hidden = random(tokens * text.hiddenSize(), 2.0, 11 * layer + tokens);
                QkvProjection qkv = model.preAttention(layer, hidden, tokens);
                float[][] expected = reference.attentionInputs(hidden, layer);
                String at = "layer " + layer + ", T=" + tokens;
                assertClose(expected[0], qkv.q(), TOLERANCE, "q " + at);
                assertClose(expected[1], qkv.k(), TOLERANCE, "k " + at);
                assertClose(expected[2], qkv.v(), TOLERANCE, "v " + at);
            }
        }
    }

    @Test
    void postAttentionMatchesReference() {
        int width = text.numAttentionHeads() * text.headDim();
        for (int layer = 0; layer < text.numHiddenLayers(); layer++) {
            for (int tokens : new int[] {1, 5}) {
                float[] residual = random(tokens * text.hiddenSize(), 2.0, 100 + layer);
                float[] attention = random(tokens * width, 1.0, 200 + layer);
                assertClose(reference.afterAttention(residual, attention, layer),
                        model.postAttention(layer, residual, attention, tokens), TOLERANCE,
                        "post-attention layer " + layer + ", T=" + tokens);
            }
        }
    }

    @Test
    void logitsMatchReference() {
        int tokens = 3;
        float[] hidden = random(tokens * text.hiddenSize(), 2.0, 5);
        assertClose(reference.lmHead(reference.finalNorm(hidden)), model.logits(hidden, tokens), TOLERANCE,
                "logits");
    }

    @Test
    void fusedStepEqualsPostThenPre() {
        int tokens = 4;
        int width = text.numAttentionHeads() * text.headDim();
        float[] residual = random(tokens * text.hiddenSize(), 2.0, 31);
        float[] attention = random(tokens * width, 1.0, 32);
        try (SessionFactory factory = new SessionFactory(weights, ExecutionProvider.cpu());
             GraphSession step = factory.open(DecoderGraphs.step(weights, 0))) {
            float[][] out = step.run(new GraphSession.Input(residual, tokens, text.hiddenSize()),
                    new GraphSession.Input(attention, tokens, width));
            float[] hidden = reference.afterAttention(residual, attention, 0);
            float[][] next = reference.attentionInputs(hidden, 1);
            assertClose(hidden, out[0], TOLERANCE, "fused hidden");
            assertClose(next[0], out[1], TOLERANCE, "fused q");
            assertClose(next[1], out[2], TOLERANCE, "fused k");
            assertClose(next[2], out[3], TOLERANCE, "fused v");
        }
        assertThrows(IllegalArgumentException.class, () -> DecoderGraphs.step(weights, text.numHiddenLayers() - 1));
    }

    @Test
    void wrongSizesFailWithTheShape() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> model.preAttention(0, new float[text.hiddenSize() + 1], 1));
        assertTrue(e.getMessage().contains("[1, " + text.hiddenSize() + "]"), e.getMessage());
        assertThrows(IndexOutOfBoundsException.class,
                () -> model.preAttention(text.numHiddenLayers(), new float[text.hiddenSize()], 1));
    }
}

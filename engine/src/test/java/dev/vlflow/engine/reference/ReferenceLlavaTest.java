package dev.vlflow.engine.reference;

import dev.vlflow.engine.model.CheckpointException;
import dev.vlflow.engine.model.ModelConfig;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** End-to-end wiring of the reference on the tiny fixture (decoder width 16, vocab 64, 16 video tokens per frame). */
class ReferenceLlavaTest {

    private static final String LM = "model.language_model.";
    private static final String MP = "model.multi_modal_projector.";

    private final FixtureWeights weights = FixtureWeights.random(FixtureWeights.tinyConfig(), 5);
    private final ModelConfig config = weights.config();
    private final int hidden = config.text().hiddenSize();
    private final int vocab = config.text().vocabSize();
    private final int video = config.videoTokenId();

    private float[] pixels(int frames) {
        float[] p = new float[frames * 3 * 14 * 14];
        for (int i = 0; i < p.length; i++) {
            p[i] = (float) Math.sin(i * 0.013 + 0.3);
        }
        return p;
    }

    @Test
    void videoEmbeddingsArePooledProjectedFeaturesPerFrameThenOneNewline() {
        ReferenceLlava ref = new ReferenceLlava(weights);
        int frames = 2;
        float[] pixels = pixels(frames);
        float[] out = ref.videoEmbeddings(pixels, frames);
        assertEquals(config.videoTokens(frames) * hidden, out.length);          // (2 * 4 * 4 + 1) rows

        float[] projected = ref.project(new ReferenceSiglip(weights).features(pixels, frames), frames * 49);
        for (int f = 0; f < frames; f++) {
            float[] frame = Arrays.copyOfRange(projected, f * 49 * hidden, (f + 1) * 49 * hidden);
            float[] pooled = BilinearPooling.poolFrame(frame, 7, hidden);
            assertArrayEquals(pooled, Arrays.copyOfRange(out, f * 16 * hidden, (f + 1) * 16 * hidden), 0f);
        }
        assertArrayEquals(weights.get("model.image_newline"),
                Arrays.copyOfRange(out, 32 * hidden, 33 * hidden), 0f);
    }

    @Test
    void projectorUsesExactErfGelu() {
        // linear_1 = 0 with bias 1 -> gelu(1); linear_2 = identity -> every visual row is gelu_erf(1) = 0.84134475
        // (the tanh GELU would give 0.84119199), and pooling a constant keeps it.
        weights.setAll(MP + "linear_1.weight", 0f);
        weights.setAll(MP + "linear_1.bias", 1f);
        float[] identity = new float[hidden * hidden];
        for (int i = 0; i < hidden; i++) {
            identity[i * hidden + i] = 1;
        }
        weights.set(MP + "linear_2.weight", identity);
        weights.setAll(MP + "linear_2.bias", 0f);
        float[] out = new ReferenceLlava(weights).videoEmbeddings(pixels(1), 1);
        for (int i = 0; i < 16 * hidden; i++) {
            assertEquals(0.8413447460685429, out[i], 1e-7);
        }
    }

    @Test
    void videoTokensAreReplacedInOrderByEmbeddingRows() {
        ReferenceLlava ref = new ReferenceLlava(weights);
        int[] ids = {3, video, video, video, 7};
        float[] rows = new float[3 * hidden];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = i * 0.01f;
        }
        float[] x = ref.forward(ids, rows).hiddenStates().get(0);
        float[] table = weights.get(LM + "embed_tokens.weight");
        assertArrayEquals(Arrays.copyOfRange(table, 3 * hidden, 4 * hidden), Arrays.copyOfRange(x, 0, hidden), 0f);
        assertArrayEquals(rows, Arrays.copyOfRange(x, hidden, 4 * hidden), 0f);
        assertArrayEquals(Arrays.copyOfRange(table, 7 * hidden, 8 * hidden),
                Arrays.copyOfRange(x, 4 * hidden, 5 * hidden), 0f);
    }

    @Test
    void videoTokenCountMustMatchEmbeddingRows() {
        ReferenceLlava ref = new ReferenceLlava(weights);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ref.logits(new int[] {1, video, video, 2}, new float[3 * hidden]));
        assertTrue(e.getMessage().contains("2 video tokens") && e.getMessage().contains("3 video embedding rows"),
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ref.logits(new int[] {1, 2}, new float[hidden + 1]));
        assertThrows(IllegalArgumentException.class, () -> ref.logits(new int[] {1, vocab}));
    }

    @Test
    void zeroedLayersLeaveTheFinalNormAndLmHead() {
        for (int l = 0; l < config.text().numHiddenLayers(); l++) {
            weights.setAll(LM + "layers." + l + ".self_attn.o_proj.weight", 0f);
            weights.setAll(LM + "layers." + l + ".mlp.down_proj.weight", 0f);
        }
        int[] ids = {5, 9};
        DecoderTrace trace = new ReferenceLlava(weights).forward(ids, new float[0]);
        assertEquals(config.text().numHiddenLayers() + 1, trace.hiddenStates().size());
        float[] table = weights.get(LM + "embed_tokens.weight");
        float[] norm = weights.get(LM + "norm.weight");
        float[] head = weights.get("lm_head.weight");
        for (int t = 0; t < ids.length; t++) {
            double sumSq = 0;
            for (int i = 0; i < hidden; i++) {
                double e = table[ids[t] * hidden + i];
                sumSq += e * e;
            }
            double inv = 1 / Math.sqrt(sumSq / hidden + config.text().rmsNormEps());
            for (int v = 0; v < vocab; v++) {
                double logit = 0;
                for (int i = 0; i < hidden; i++) {
                    logit += head[v * hidden + i] * norm[i] * table[ids[t] * hidden + i] * inv;
                }
                assertEquals(logit, trace.logits()[t * vocab + v], 1e-5, "position " + t + " token " + v);
            }
        }
    }

    @Test
    void logitsAreCausalAndAPrefixGivesTheSameRows() {
        ReferenceLlava ref = new ReferenceLlava(weights);
        int[] ids = {1, 4, 9, 16, 25, 36};
        float[] all = ref.logits(ids);
        assertEquals(ids.length * vocab, all.length);
        float[] prefix = ref.logits(Arrays.copyOf(ids, 3));
        assertArrayEquals(prefix, Arrays.copyOf(all, 3 * vocab), 0f);
        int[] changed = ids.clone();
        changed[3] = 50;
        float[] other = ref.logits(changed);
        assertArrayEquals(Arrays.copyOf(all, 3 * vocab), Arrays.copyOf(other, 3 * vocab), 0f);
        assertFalse(Arrays.equals(Arrays.copyOfRange(all, 3 * vocab, 4 * vocab),
                Arrays.copyOfRange(other, 3 * vocab, 4 * vocab)));
    }

    @Test
    void positionsMatter() {
        // Same multiset of tokens in another order gives different last logits (RoPE + causal mask).
        ReferenceLlava ref = new ReferenceLlava(weights);
        DecoderTrace a = ref.forward(new int[] {2, 3, 4}, new float[0]);
        DecoderTrace b = ref.forward(new int[] {3, 2, 4}, new float[0]);
        assertFalse(Arrays.equals(a.logitsAt(2), b.logitsAt(2)));
        float[] row = a.logitsAt(2);
        int best = a.argmaxAt(2);
        for (float v : row) {
            assertTrue(v <= row[best]);
        }
    }

    @Test
    void wrongTensorShapeNamesTheTensorAndBothShapes() {
        weights.reshape(LM + "layers.1.self_attn.k_proj.weight", 16, 16);
        CheckpointException e = assertThrows(CheckpointException.class,
                () -> new ReferenceLlava(weights).logits(new int[] {1, 2}));
        assertTrue(e.getMessage().contains("layers.1.self_attn.k_proj.weight")
                && e.getMessage().contains("[16, 16]") && e.getMessage().contains("[8, 16]"), e.getMessage());
    }
}

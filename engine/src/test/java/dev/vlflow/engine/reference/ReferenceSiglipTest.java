package dev.vlflow.engine.reference;

import dev.vlflow.engine.model.VisionConfig;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The tiny fixture's tower: 14 px frames, 3 channels, patch 2 (7x7 patches), width 12, MLP 20, 2 heads. */
class ReferenceSiglipTest {

    private static final String V = "model.vision_tower.vision_model.";
    private static final String L0 = V + "encoder.layers.0.";

    private final FixtureWeights weights = FixtureWeights.random(FixtureWeights.tinyConfig(), 11);
    private final VisionConfig config = weights.config().vision();

    private static float[] ramp(int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = i;
        }
        return x;
    }

    @Test
    void patchEmbeddingIsAStridedConvolutionInRowMajorPatchOrder() {
        // 12 output channels = 3 channels x 2 dy x 2 dx: channel o copies pixel (c, dy, dx) of its patch.
        float[] conv = new float[12 * 3 * 2 * 2];
        for (int o = 0; o < 12; o++) {
            int c = o % 3;
            int dy = (o / 3) % 2;
            int dx = o / 6;
            conv[((o * 3 + c) * 2 + dy) * 2 + dx] = 1;
        }
        weights.set(V + "embeddings.patch_embedding.weight", conv);
        weights.setAll(V + "embeddings.patch_embedding.bias", 0.5f);
        float[] position = new float[49 * 12];
        for (int p = 0; p < 49; p++) {
            Arrays.fill(position, p * 12, (p + 1) * 12, p * 100f);
        }
        weights.set(V + "embeddings.position_embedding.weight", position);

        float[] frame = ramp(3 * 14 * 14);                     // pixel (c, y, x) = c * 196 + y * 14 + x
        float[] emb = new ReferenceSiglip(weights).embeddings(frame);
        for (int py = 0; py < 7; py++) {
            for (int px = 0; px < 7; px++) {
                int p = py * 7 + px;
                for (int o = 0; o < 12; o++) {
                    int c = o % 3;
                    int y = py * 2 + (o / 3) % 2;
                    int x = px * 2 + o / 6;
                    assertEquals(c * 196 + y * 14 + x + 0.5f + p * 100f, emb[p * 12 + o], 0f,
                            "patch (" + py + ", " + px + ") channel " + o);
                }
            }
        }
    }

    @Test
    void encoderLayerWiresAttentionAndTanhMlpResidually() {
        // Attention: v_proj = 0 with bias c, so every attention output is c whatever q and k are (weights sum to 1);
        // out_proj = identity, bias 0 -> h = x + c.
        float[] c = new float[12];
        for (int i = 0; i < 12; i++) {
            c[i] = 0.1f * i;
        }
        weights.setAll(L0 + "self_attn.v_proj.weight", 0f);
        weights.set(L0 + "self_attn.v_proj.bias", c);
        float[] identity = new float[12 * 12];
        for (int i = 0; i < 12; i++) {
            identity[i * 12 + i] = 1;
        }
        weights.set(L0 + "self_attn.out_proj.weight", identity);
        weights.setAll(L0 + "self_attn.out_proj.bias", 0f);
        // MLP: fc1 = 0 with bias 1 -> act = gelu_tanh(1) in all 20 units; fc2 = all ones, bias 0.25
        // -> y = h + 20 * gelu_tanh(1) + 0.25 (the erf GELU would give a value 0.003 higher).
        weights.setAll(L0 + "mlp.fc1.weight", 0f);
        weights.setAll(L0 + "mlp.fc1.bias", 1f);
        weights.setAll(L0 + "mlp.fc2.weight", 1f);
        weights.setAll(L0 + "mlp.fc2.bias", 0.25f);

        float[] x = ramp(49 * 12);
        float[] y = new ReferenceSiglip(weights).encoderLayer(x, 0);
        double mlp = 20 * 0.8411919906082768 + 0.25;
        for (int p = 0; p < 49; p++) {
            for (int i = 0; i < 12; i++) {
                assertEquals(x[p * 12 + i] + c[i] + mlp, y[p * 12 + i], 2e-4, "patch " + p + " dim " + i);
            }
        }
    }

    @Test
    void attentionIsBidirectionalAcrossPatches() {
        ReferenceSiglip siglip = new ReferenceSiglip(weights);
        float[] frame = ramp(3 * 14 * 14);
        for (int i = 0; i < frame.length; i++) {
            frame[i] = (float) Math.sin(i * 0.37);
        }
        float[] before = siglip.frameFeatures(frame);
        frame[frame.length - 1] += 1f;                             // last pixel: belongs to the last patch only
        float[] after = siglip.frameFeatures(frame);
        float[] firstBefore = Arrays.copyOfRange(before, 0, 12);
        float[] firstAfter = Arrays.copyOfRange(after, 0, 12);
        assertTrue(!Arrays.equals(firstBefore, firstAfter), "patch 0 must see the last patch");
    }

    @Test
    void framesAreIndependentAndFeatureShapeIsFramesByPatchesByWidth() {
        ReferenceSiglip siglip = new ReferenceSiglip(weights);
        int frameSize = 3 * 14 * 14;
        float[] pixels = new float[2 * frameSize];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (float) Math.cos(i * 0.11);
        }
        float[] features = siglip.features(pixels, 2);
        assertEquals(2 * config.numPatches() * config.hiddenSize(), features.length);
        float[] second = siglip.frameFeatures(Arrays.copyOfRange(pixels, frameSize, 2 * frameSize));
        assertArrayEquals(second, Arrays.copyOfRange(features, 49 * 12, 2 * 49 * 12), 0f);
    }
}

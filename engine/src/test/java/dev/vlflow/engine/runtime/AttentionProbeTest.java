package dev.vlflow.engine.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.vlflow.engine.VlModel;
import dev.vlflow.engine.model.Checkpoint;
import dev.vlflow.engine.model.TextConfig;
import dev.vlflow.engine.model.make.ModelMaker;
import dev.vlflow.engine.model.make.ModelPreset;
import dev.vlflow.engine.reference.ReferenceAttention;
import dev.vlflow.engine.reference.ReferenceQwen2;
import dev.vlflow.kv.FloatKvCache;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The probe's per-key attention mass, measured on the engine's prefill (ONNX dense parts, Java attention kernel, in
 * chunks that split the probe rows), against softmax rows recomputed in double from the plain Java reference
 * decoder's queries and keys of the same {@code tiny-random} checkpoint. Tolerance: 1e-4 absolute per key.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AttentionProbeTest {

    private static final double TOLERANCE = 1e-4;
    private static final int TOKENS = 100;
    private static final int PROBE_FROM = 70;

    @TempDir
    static Path temp;

    VlModel model;
    Checkpoint weights;

    @BeforeAll
    void load() {
        Path dir = ModelMaker.make(ModelMaker.Request.of(ModelPreset.TINY_RANDOM, temp.resolve("tiny"))).directory();
        model = VlModel.load(dir);
        weights = Checkpoint.open(dir);
    }

    @AfterAll
    void close() {
        model.close();
        weights.close();
    }

    private float[] inputs() {
        SplittableRandom random = new SplittableRandom(3);
        float[] x = new float[TOKENS * model.config().text().hiddenSize()]; // [tokens, hidden]
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextDouble(-1, 1);
        }
        return x;
    }

    private AttentionProbe prefill(float[] x, int chunk) {
        AttentionProbe probe = AttentionProbe.around(new FloatKvCache(model.cacheShape()), PROBE_FROM, TOKENS);
        model.decoder().prefill(x, TOKENS, range(0, TOKENS), probe, chunk);
        return probe;
    }

    @Test
    void keyMassMatchesSoftmaxRowsOfTheReferenceDecoder() {
        float[] x = inputs();
        AttentionProfile profile = prefill(x, 37).profile(); // chunks [0,37) [37,74) [74,100): probes span two
        TextConfig text = model.config().text();
        assertEquals(text.numHiddenLayers(), profile.layers());
        assertEquals(text.numAttentionHeads(), profile.heads());
        List<float[]> states = new ReferenceQwen2(weights).forward(x).hiddenStates();
        for (int layer = 0; layer < profile.layers(); layer++) {
            double[] expected = referenceMass(new ReferenceQwen2(weights), states.get(layer), layer, text);
            float[] actual = profile.mass(layer);
            for (int j = 0; j < TOKENS; j++) {
                assertEquals(expected[j], actual[j], TOLERANCE, "layer " + layer + " key " + j);
            }
            assertEquals((TOKENS - PROBE_FROM) * text.numAttentionHeads(), profile.total(layer), 1e-3);
        }
    }

    @Test
    void chunkingDoesNotChangeTheMass() {
        float[] x = inputs();
        AttentionProfile whole = prefill(x, 512).profile();
        AttentionProfile split = prefill(x, 16).profile();
        for (int layer = 0; layer < whole.layers(); layer++) {
            float[] a = whole.mass(layer);
            float[] b = split.mass(layer);
            for (int j = 0; j < a.length; j++) {
                assertEquals(a[j], b[j], 1e-5, "layer " + layer + " key " + j);
            }
        }
    }

    @Test
    void aForkRecordsIntoTheProfileAndEachProbeRowIsMeasuredOnce() {
        float[] x = inputs();
        int h = model.config().text().hiddenSize();
        AttentionProbe probe = AttentionProbe.around(new FloatKvCache(model.cacheShape()), PROBE_FROM, TOKENS);
        model.decoder().prefill(java.util.Arrays.copyOf(x, 80 * h), 80, range(0, 80), probe, 512);
        assertThrows(IllegalStateException.class, probe::profile); // rows 80..99 missing
        var fork = probe.fork();
        model.decoder().prefill(java.util.Arrays.copyOfRange(x, 80 * h, TOKENS * h), 20, range(80, 20), fork, 512);
        AttentionProfile forked = probe.profile();
        AttentionProfile direct = prefill(x, 512).profile();
        for (int layer = 0; layer < direct.layers(); layer++) {
            float[] a = direct.mass(layer);
            float[] b = forked.mass(layer);
            for (int j = 0; j < a.length; j++) {
                assertEquals(a[j], b[j], 1e-5, "layer " + layer + " key " + j);
            }
        }
        var again = probe.fork();
        again.truncate(80);
        assertThrows(IllegalStateException.class, () -> model.decoder().prefill(
                java.util.Arrays.copyOfRange(x, 80 * h, TOKENS * h), 20, range(80, 20), again, 512));
    }

    /** [TOKENS] sum over probe rows and heads of the causal softmax row, from the reference's q and k. */
    private static double[] referenceMass(ReferenceQwen2 ref, float[] layerInput, int layer, TextConfig text) {
        int heads = text.numAttentionHeads();
        int kvHeads = text.numKeyValueHeads();
        int d = text.headDim();
        int[] positions = range(0, TOKENS);
        float[][] qkv = ref.attentionInputs(layerInput, layer);
        float[] q = ReferenceAttention.rope(qkv[0], positions, heads, d, text.ropeTheta());   // [tokens, heads*d]
        float[] k = ReferenceAttention.rope(qkv[1], positions, kvHeads, d, text.ropeTheta()); // [tokens, kvHeads*d]
        double[] mass = new double[TOKENS];
        double scale = 1.0 / Math.sqrt(d);
        for (int t = PROBE_FROM; t < TOKENS; t++) {
            for (int hd = 0; hd < heads; hd++) {
                int kvh = hd / (heads / kvHeads);
                double[] scores = new double[t + 1];
                double max = Double.NEGATIVE_INFINITY;
                for (int s = 0; s <= t; s++) {
                    double dot = 0;
                    for (int c = 0; c < d; c++) {
                        dot += (double) q[(t * heads + hd) * d + c] * k[(s * kvHeads + kvh) * d + c];
                    }
                    scores[s] = dot * scale;
                    max = Math.max(max, scores[s]);
                }
                double sum = 0;
                for (int s = 0; s <= t; s++) {
                    scores[s] = Math.exp(scores[s] - max);
                    sum += scores[s];
                }
                for (int s = 0; s <= t; s++) {
                    mass[s] += scores[s] / sum;
                }
            }
        }
        return mass;
    }

    private static int[] range(int from, int count) {
        int[] r = new int[count];
        for (int i = 0; i < count; i++) {
            r[i] = from + i;
        }
        return r;
    }
}

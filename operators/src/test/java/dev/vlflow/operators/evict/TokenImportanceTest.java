package dev.vlflow.operators.evict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vlflow.kv.CacheShape;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TokenImportanceTest {

    @Test
    void scoresAreAttentionMassFromTheProbes() {
        CacheShape shape = new CacheShape(1, 2, 4);
        Random random = new Random(3);
        int size = 7;
        float[] keys = new float[size * shape.tokenWidth()];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = (float) random.nextGaussian();
        }
        int probes = 3;
        double[] scores = TokenImportance.score(shape, keys, size, probes);
        double total = 0;
        for (double s : scores) {
            total += s;
        }
        // every (probe, head) pair hands out a softmax: mass 1 each
        assertEquals(probes * shape.kvHeads(), total, 1e-9);
        // a reference computation of one slot's score
        double expected = 0;
        for (int p = size - probes; p < size; p++) {
            for (int h = 0; h < 2; h++) {
                double[] logits = new double[size];
                double sum = 0;
                for (int i = 0; i < size; i++) {
                    double dot = 0;
                    for (int c = 0; c < 4; c++) {
                        dot += keys[p * 8 + h * 4 + c] * keys[i * 8 + h * 4 + c];
                    }
                    logits[i] = Math.exp(dot / 2.0);
                    sum += logits[i];
                }
                expected += logits[2] / sum;
            }
        }
        assertEquals(expected, scores[2], 1e-9);
    }

    @Test
    void aKeyAlignedWithTheProbesScoresHighest() {
        CacheShape shape = new CacheShape(1, 1, 2);
        float[] keys = {
            0, 0,   // 0
            5, 0,   // 1: aligned with the probe
            0, 5,   // 2: orthogonal
            -5, 0,  // 3: opposite
            1, 0    // 4: the probe
        };
        double[] s = TokenImportance.score(shape, keys, 5, 1);
        assertTrue(s[1] > s[0] && s[1] > s[2] && s[1] > s[3] && s[1] > s[4]);
        assertTrue(s[3] < s[0]);
    }
}

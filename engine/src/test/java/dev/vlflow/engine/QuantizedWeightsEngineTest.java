package dev.vlflow.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vlflow.engine.model.make.ModelMaker;
import dev.vlflow.engine.model.make.ModelPreset;
import dev.vlflow.engine.quant.LogitAgreement;
import dev.vlflow.engine.quant.WeightPrecision;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The whole engine with quantized weights against the same {@code tiny-random} checkpoint at fp32, over every
 * position of a 96-token prompt: the largest logit difference and the share of positions whose top-1 id agrees,
 * each within a stated bound. Measured (logits up to 4.2): int8 max |diff| 0.15, 99% of rows agree; int4 2.1, 51%.
 * A random network has no margin between its top logits and amplifies weight noise through its layers, so int4's
 * agreement here is a floor, not what a trained model sees ({@code eval videomme} on tiny-trained measures that).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QuantizedWeightsEngineTest {

    @TempDir
    static Path temp;

    Path dir;
    VlModel fp32;
    float[] reference; // [96, vocab]
    int[] prompt;

    @BeforeAll
    void load() {
        dir = ModelMaker.make(ModelMaker.Request.of(ModelPreset.TINY_RANDOM, temp.resolve("tiny"))).directory();
        fp32 = VlModel.load(dir, EngineOptions.defaults().withPrefillChunk(32));
        SplittableRandom random = new SplittableRandom(5);
        prompt = new int[96];
        for (int i = 0; i < prompt.length; i++) {
            prompt[i] = random.nextInt(fp32.config().imageTokenId());
        }
        reference = LogitAgreement.promptLogits(fp32, prompt);
    }

    @AfterAll
    void close() {
        fp32.close();
    }

    @ParameterizedTest(name = "{0}: max |diff| <= {1}, top-1 >= {2}")
    @CsvSource({"INT8, 0.3, 0.95", "INT4, 4.0, 0.4"})
    void logitsFollowFp32WithinBounds(WeightPrecision precision, double maxDiff, double minAgreement) {
        try (VlModel quantized = VlModel.load(dir, EngineOptions.defaults().withPrefillChunk(32)
                .withWeights(precision))) {
            assertEquals(precision, quantized.options().weights());
            LogitAgreement a = LogitAgreement.of(reference, LogitAgreement.promptLogits(quantized, prompt),
                    fp32.config().text().vocabSize());
            System.out.println(precision + " vs fp32 on tiny-random: " + a);
            assertEquals(prompt.length, a.rows());
            assertTrue(a.maxAbsDiff() <= maxDiff, precision + ": " + a);
            assertTrue(a.top1Agreement() >= minAgreement, precision + ": " + a);
            assertTrue(a.maxAbsDiff() > 0, "quantized weights change the logits: " + a);
        }
    }
}

package dev.vlflow.pipeline.attention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.vlflow.engine.runtime.AttentionProfile;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The adaptive ratio on hand-made mass vectors, exact. */
class VisualConcentrationTest {

    private static final double TAU = 0.975;

    @ParameterizedTest(name = "n = {0}")
    @ValueSource(ints = {1, 7, 40, 100, 513})
    void uniformMassNeedsTheCeilingOfTauN(int n) {
        float[] mass = new float[n];
        Arrays.fill(mass, 1f);
        assertEquals((int) Math.ceil(TAU * n), VisualConcentration.tokensFor(mass, TAU));
        Arrays.fill(mass, 0.25f);
        assertEquals((int) Math.ceil(TAU * n), VisualConcentration.tokensFor(mass, TAU));
    }

    @ParameterizedTest(name = "n = {0}")
    @ValueSource(ints = {1, 7, 513})
    void oneHotMassNeedsOneToken(int n) {
        float[] mass = new float[n];
        mass[n / 2] = 3f;
        assertEquals(1, VisualConcentration.tokensFor(mass, TAU));
    }

    @Test
    void takesTheLargestFirstUntilTheTargetIsReached() {
        float[] mass = {1f, 10f, 3f, 6f}; // total 20; sorted: 10, 6, 3, 1
        assertEquals(1, VisualConcentration.tokensFor(mass, 0.5));  // 10 >= 10
        assertEquals(2, VisualConcentration.tokensFor(mass, 0.79)); // 16 >= 15.8
        assertEquals(3, VisualConcentration.tokensFor(mass, 0.9));  // 19 >= 18
        assertEquals(4, VisualConcentration.tokensFor(mass, TAU));  // 19 < 19.5
        assertEquals(0, VisualConcentration.tokensFor(new float[5], TAU));
        assertThrows(IllegalArgumentException.class, () -> VisualConcentration.tokensFor(mass, 0));
        assertThrows(IllegalArgumentException.class, () -> VisualConcentration.tokensFor(new float[] {-1f}, TAU));
    }

    @Test
    void layerFiguresUseOnlyTheVideoSlots() {
        // keys 0..9: header 0..1, video 2..6 (5 slots), question 7..9; 2 probe rows x 1 head = total mass 2
        float[] mass = {0.25f, 0.25f, 0.75f, 0.125f, 0.125f, 0f, 0f, 0.25f, 0.125f, 0.125f};
        AttentionProfile profile = new AttentionProfile(8, 10, 1, List.of(mass));
        LayerConcentration l = VisualConcentration.of(profile, 0, 2, 7, TAU);
        assertEquals(5, l.visualTokens());
        assertEquals(1.0 / 2.0, l.visualShare(), 1e-6);
        assertEquals(3, l.tokensForTau()); // 0.75 + 0.125 = 0.875 < 0.975 * 1; with the next 0.125 it is 1
        assertEquals(3.0 / 5.0, l.fraction(), 1e-12);
    }
}

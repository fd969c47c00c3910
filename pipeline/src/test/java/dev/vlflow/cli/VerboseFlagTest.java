package dev.vlflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;

/** --verbose is accepted anywhere on the line (taken out before picocli parses) and nothing else is. */
class VerboseFlagTest {

    @Test
    void verboseAnywhereIsAcceptedAnUnknownFlagIsNot() {
        assertEquals(0, Main.run("make-model", "--help", "--verbose"));
        assertEquals(0, Main.run("--verbose", "eval", "--help"));
        assertNotEquals(0, Main.run("make-model", "--help", "--loud"));
    }
}

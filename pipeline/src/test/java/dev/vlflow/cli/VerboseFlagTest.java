package dev.vlflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --verbose is accepted anywhere on the line (taken out before picocli parses); another unknown flag is not. */
class VerboseFlagTest {

    @Test
    void verboseAnywhereIsAcceptedAnUnknownFlagIsNot(@TempDir Path dir) {
        assertEquals(0, Main.run("make-model", "--preset", "tiny-random", "--verbose", "--out",
                dir.resolve("a").toString()));
        assertTrue(Files.isRegularFile(dir.resolve("a/config.json")));
        assertEquals(2, Main.run("make-model", "--preset", "tiny-random", "--loud", "--out",
                dir.resolve("b").toString()), "picocli's usage error");
        assertTrue(Files.notExists(dir.resolve("b/config.json")));
    }
}

package dev.vlflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A long command whose stderr is not a terminal (a pipe here) draws no bar: no escape codes, no carriage returns. */
class ProgressOutputTest {

    @Test
    void makeDatasetDrawsNoBarWhenStderrIsNotATerminal(@TempDir Path dir) {
        PrintStream err = System.err;
        PrintStream out = System.out;
        ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
        int code;
        try {
            System.setErr(new PrintStream(errBytes, true, StandardCharsets.UTF_8));
            System.setOut(new PrintStream(outBytes, true, StandardCharsets.UTF_8));
            code = Main.run("make-dataset", "videomme-synthetic", "--out", dir.toString(), "--videos", "2", "--size",
                    "64", "--fps", "4");
        } finally {
            System.setErr(err);
            System.setOut(out);
        }
        assertEquals(0, code, errBytes.toString(StandardCharsets.UTF_8));
        assertTrue(Files.isRegularFile(dir.resolve("videomme.json")));
        String stderr = errBytes.toString(StandardCharsets.UTF_8);
        String stdout = outBytes.toString(StandardCharsets.UTF_8);
        assertFalse(stderr.contains("\u001b") || stderr.contains("\r") || stderr.contains("100%"), stderr);
        assertTrue(stdout.startsWith("wrote 2 videos, 6 questions"), stdout);
        assertFalse(stdout.contains("\u001b") || stdout.contains("\r"), stdout);
    }
}

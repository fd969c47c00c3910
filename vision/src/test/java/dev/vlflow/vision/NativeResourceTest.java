package dev.vlflow.vision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 1,000 bad files in a loop: each fails with its kind and native memory stays flat, so every FFmpeg and OpenCV
 * object is freed on every path (streams closed half way included).
 *
 * <p>The loop runs in a child JVM ({@link BadFileLoop}) with a fixed, pre-touched 96 MiB heap: there, resident
 * memory moves only with native allocations. Allowed growth after the warm-up: 16 MiB over 800 rounds (20 KiB a
 * round). The allocator's own noise measured here is a few MiB; leaking one demuxer context a round (43 KiB,
 * measured) would add 34 MiB, one decoder or frame more.
 */
class NativeResourceTest {

    private static final int ROUNDS = 1000;
    private static final long SLACK_BYTES = 16L << 20;

    @TempDir
    Path dir;

    @Test
    void thousandBadFilesReleaseEverything() throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xms96m");
        command.add("-Xmx96m");
        command.add("-XX:+AlwaysPreTouch");
        String cache = System.getProperty("org.bytedeco.javacpp.cachedir");
        if (cache != null) {
            command.add("-Dorg.bytedeco.javacpp.cachedir=" + cache);
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(BadFileLoop.class.getName());
        command.add(dir.toString());
        command.add(Integer.toString(ROUNDS));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectInput(
                ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "loop finished");
        assertEquals(0, process.exitValue(), output);
        String result = output.lines().filter(l -> l.startsWith("RESULT ")).findFirst()
                .orElseThrow(() -> new AssertionError("no result from the loop:\n" + output));
        String[] f = result.split(" ");
        int rounds = Integer.parseInt(f[1]);
        int failures = Integer.parseInt(f[2]);
        long baseline = Long.parseLong(f[3]);
        long end = Long.parseLong(f[4]);
        System.out.printf("%s%nresident memory: %.1f MiB after %d rounds, %.1f MiB at the end of %d%n",
                output.strip(), baseline / 1048576.0, BadFileLoop.WARM_UP, end / 1048576.0, rounds);
        assertEquals(ROUNDS - ROUNDS / 10, failures, "every bad file failed with its own kind:\n" + output);
        assertTrue(end - baseline < SLACK_BYTES, "resident memory grew by " + (end - baseline) / 1048576.0
                + " MiB over " + (ROUNDS - BadFileLoop.WARM_UP) + " rounds");
    }
}

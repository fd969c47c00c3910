package dev.vlflow.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vlflow.cli.Main;
import dev.vlflow.pipeline.stream.StreamIo;
import dev.vlflow.pipeline.stream.StreamOutputs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vlflow demo} from a bare home directory: it makes the model and video, runs the job, answers all four. */
class DemoCommandTest {

    @TempDir
    Path home;

    @AfterEach
    void clearHome() {
        System.clearProperty("vlflow.home");
    }

    @Test
    void theDemoRunsFromNothing() throws Exception {
        System.setProperty("vlflow.home", home.toString());
        assertEquals(0, Main.run("demo", "--max-tokens", "6"));
        Path demo = home.resolve(".vlflow").resolve("demo");
        assertTrue(Files.isRegularFile(home.resolve(".vlflow/models/tiny-random/config.json")));
        assertTrue(Files.size(demo.resolve("video").resolve("demo.mp4")) > 0);
        StreamOutputs out = StreamOutputs.read(new StreamIo(demo.resolve("input"), Optional.empty(),
                demo.resolve("output"), false));
        assertEquals(4, out.answers().size());
        assertEquals(24, out.tokens().size() + 0 * out.answers().size() + countStopped(out), "6 tokens each unless "
                + "a stop token came first");
        assertTrue(out.deadLetters().isEmpty());
    }

    private static int countStopped(StreamOutputs out) {
        int missing = 0;
        for (var a : out.answers()) {
            if (a.get("stop").asText().equals("STOP_TOKEN")) {
                missing += 6 - a.get("statistics").get("tokens").asInt();
            }
        }
        return missing;
    }
}

package dev.vlflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vlflow.engine.model.Checkpoint;
import dev.vlflow.engine.model.DType;
import dev.vlflow.engine.model.TensorLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vlflow make-model} end to end: its options reach the files, and the result loads. */
class MakeModelCommandTest {

    @TempDir
    Path dir;

    @Test
    void writesALoadableCheckpoint() {
        Path out = dir.resolve("tiny");
        int code = Main.run("make-model", "--preset", "tiny-random", "--out", out.toString(), "--dtype", "bf16",
                "--layout", "legacy", "--seed", "3", "--max-shard-mb", "1");
        assertEquals(0, code);
        assertTrue(Files.isRegularFile(out.resolve(Checkpoint.INDEX_FILE)));
        try (Checkpoint c = Checkpoint.open(out)) {
            assertEquals(TensorLayout.LEGACY, c.layout());
            assertEquals(DType.BF16, c.info(Checkpoint.EMBED).dtype());
            assertEquals(128, c.config().text().hiddenSize());
        }
    }

    @Test
    void rejectsAnUnknownPreset() {
        assertNotEquals(0, Main.run("make-model", "--preset", "huge", "--out", dir.toString()));
        assertNotEquals(0, Main.run("make-model", "--preset", "tiny-random", "--out", dir.toString(), "--dtype", "q4"));
    }
}

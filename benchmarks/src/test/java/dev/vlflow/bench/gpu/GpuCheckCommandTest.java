package dev.vlflow.bench.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vlflow.cli.Main;
import dev.vlflow.engine.onnx.CudaAvailability;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vlflow gpu-check} through the command line. Its CUDA path needs a GPU; what runs everywhere is its
 * self-check (CPU against CPU: every comparison must report exact agreement) and its refusal where CUDA is missing.
 */
class GpuCheckCommandTest {

    /** What one command line printed and returned. */
    private record Ran(int code, String out, String err) {
    }

    private static Ran run(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            int code = Main.run(args);
            return new Ran(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    @Test
    void againstCpuTheSelfCheckReportsExactParityOnTinyRandom(@TempDir Path dir) throws Exception {
        Ran r = run("gpu-check", "--against", "cpu", "--models", "tiny-random", "--work", dir.toString(),
                "--prefill-tokens", "32", "--decode-tokens", "8", "--json");
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("graphs: 19 compared"), r.out()); // tiny-random: 4 layers x 4 + tower, projector, head
        assertTrue(r.out().contains("engine: 8 greedy tokens identical"), r.out());
        assertTrue(r.out().contains("gpu-check: cpu-again agrees with cpu on every graph and model"), r.out());
        List<String> lines = r.out().lines().toList();
        JsonNode json = new ObjectMapper().readTree(lines.get(lines.size() - 1));
        JsonNode tiny = json.get("tiny-random");
        assertEquals(0.0, tiny.get("graph_max_abs_diff").asDouble(), "the same provider on the same inputs");
        assertEquals(0.0, tiny.get("engine_max_logit_diff").asDouble());
        assertEquals(0.0, tiny.get("engine_frames_diff").asDouble());
        assertTrue(tiny.get("engine_same_tokens").asBoolean());
        assertTrue(tiny.get("decode_tokens_per_s_cpu").asDouble() > 0);
        assertTrue(tiny.get("prefill_tokens_per_s_cpu-again").asDouble() > 0);
        assertTrue(json.get("agree").asBoolean());
    }

    @Test
    void withoutAGpuItSaysWhatIsMissingAndFails(@TempDir Path dir) {
        CudaAvailability cuda = CudaAvailability.detect();
        assumeTrue(cuda instanceof CudaAvailability.Missing, "this machine can run CUDA: the refusal cannot be seen");
        Ran r = run("gpu-check", "--work", dir.toString());
        assertEquals(3, r.code(), r.out() + r.err());
        String reason = ((CudaAvailability.Missing) cuda).reason();
        assertTrue(r.err().contains("gpu-check: CUDA cannot be checked here: " + reason), r.err());
        assertTrue(r.err().contains("/dev/nvidia0") || r.err().contains("no CUDA execution provider"), r.err());
        assertTrue(r.out().isEmpty(), "nothing measured: " + r.out());
    }

    @Test
    void anUnknownTargetIsRejected(@TempDir Path dir) {
        Ran r = run("gpu-check", "--against", "tpu", "--work", dir.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("--against must be cuda or cpu, not tpu"), r.err());
    }
}

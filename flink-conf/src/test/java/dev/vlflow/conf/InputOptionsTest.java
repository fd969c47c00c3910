package dev.vlflow.conf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;

/** {@code vlflow.input.*}: safe defaults, read once into an {@link InputSpec}, checked at the edge. */
class InputOptionsTest {

    @Test
    void defaultsAllowNoFileNoHostAndCapEverything() {
        Configuration c = VlflowConfiguration.load(Optional.empty(), Map.of("vlflow.model.path", "m"));
        InputSpec input = JobSpec.read(c).input();
        assertFalse(c.contains(InputOptions.FILE_ROOTS), "roots are unset, so the local runner can fill them in");
        assertEquals(List.of(), input.fileRoots());
        assertEquals(List.of(), input.urlHosts());
        assertEquals(List.of("http", "https"), input.urlSchemes());
        assertEquals(4096, input.maxFrameWidth());
        assertEquals(4096, input.maxFrameHeight());
        assertEquals(Duration.ofHours(4), input.maxDuration());
        assertEquals(8L << 20, input.maxInlineBytes());
        assertEquals(16L << 20, input.maxRecordBytes());
        assertEquals(1024, input.maxAnswerTokens());
        assertEquals(64, input.maxPendingQuestions());
        assertEquals(32768, input.maxStreamTokens());
        assertEquals(input, InputSpec.defaults());
    }

    @Test
    void limitsAreReadFromConfiguration() {
        Configuration c = VlflowConfiguration.load(Optional.empty(), Map.of("vlflow.model.path", "m",
                "vlflow.input.file-roots", "/data/a;/data/b", "vlflow.input.url-hosts", "cdn.example.com;*.cams.lan",
                "vlflow.input.max-record-bytes", "64 kb", "vlflow.input.max-answer-tokens", "64",
                "vlflow.input.io-timeout", "5 s"));
        InputSpec input = JobSpec.read(c).input();
        assertEquals(List.of("/data/a", "/data/b"), input.fileRoots());
        assertEquals(List.of("cdn.example.com", "*.cams.lan"), input.urlHosts());
        assertEquals(64 * 1024, input.maxRecordBytes());
        assertEquals(64, input.maxAnswerTokens());
        assertEquals(Duration.ofSeconds(5), input.ioTimeout());
    }

    @Test
    void badLimitsFailWhenTheJobIsBuilt() {
        assertThrows(IllegalArgumentException.class, () -> JobSpec.read(VlflowConfiguration.load(Optional.empty(),
                Map.of("vlflow.model.path", "m", "vlflow.input.max-stream-tokens", "0"))));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JobSpec.read(
                VlflowConfiguration.load(Optional.empty(), Map.of("vlflow.model.path", "m",
                        "vlflow.input.max-answer-tokens", "16", "vlflow.decoding.max-new-tokens", "32"))));
        assertTrue(e.getMessage().contains("max-answer-tokens"), e.getMessage());
    }
}

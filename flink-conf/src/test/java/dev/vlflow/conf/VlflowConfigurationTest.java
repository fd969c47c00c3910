package dev.vlflow.conf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateBackendOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VlflowConfigurationTest {

    @TempDir
    Path temp;

    @Test
    void bundledDefaultsUseRocksDbAndNoKryo() {
        Configuration c = VlflowConfiguration.bundled();
        assertEquals("rocksdb", c.get(StateBackendOptions.STATE_BACKEND));
        assertEquals("false", c.toMap().get("pipeline.generic-types"));
        assertEquals(24, c.get(DecodingOptions.MAX_NEW_TOKENS));
        assertEquals(Duration.ofHours(1), c.get(StateOptions.IDLE_TTL));
        assertTrue(c.getOptional(ModelOptions.PATH).isEmpty());
    }

    @Test
    void laterLayersWin() throws Exception {
        Path file = temp.resolve("my.yaml");
        Files.writeString(file, "vlflow:\n  kv:\n    page-tokens: 32\n    budget-tokens: 1024\n"
                + "  decoding:\n    max-new-tokens: 8\n");
        Configuration c = VlflowConfiguration.load(Optional.of(file), Map.of(
                "vlflow.decoding.max-new-tokens", "4", "vlflow.model.path", "/models/x"));
        JobSpec spec = JobSpec.read(c);
        assertEquals(new ModelSpec("/models/x", "cpu", 512, 8, ""), spec.model());
        assertEquals(new KvSpec(32, new KvBudget.Bounded(1024, 32, 256, 16)), spec.kv());
        assertEquals(DecodingSpec.greedy(4), spec.decoding());
        assertEquals(new VideoSpec(4, 64), spec.video());
        assertEquals(new StateSpec(Duration.ofHours(1), 8, 64), spec.state());
    }

    @Test
    void samplingOptionsMakeANucleusSampler() {
        Configuration c = VlflowConfiguration.load(Optional.empty(), Map.of("vlflow.model.path", "m",
                "vlflow.decoding.temperature", "0.7", "vlflow.decoding.top-p", "0.9", "vlflow.decoding.seed", "3"));
        assertEquals(new DecodingSpec.TopP(0.7, 0.9, 3), JobSpec.read(c).decoding().sampler());
    }

    @Test
    void speculationOptionsAreTyped() {
        Configuration c = VlflowConfiguration.load(Optional.empty(), Map.of("vlflow.model.path", "m",
                "vlflow.decoding.drafter", "prompt-lookup", "vlflow.decoding.draft-length", "5",
                "vlflow.decoding.skip-attention", "1;3"));
        assertEquals(new DecodingSpec.Speculation(DecodingSpec.Drafter.PROMPT_LOOKUP, 5, 3, 2, List.of(1, 3), List.of(), 1),
                JobSpec.read(c).decoding().speculation());
        Configuration head = VlflowConfiguration.load(Optional.empty(), Map.of("vlflow.model.path", "m",
                "vlflow.decoding.drafter", "draft-head"));
        assertEquals(DecodingSpec.Drafter.DRAFT_HEAD, JobSpec.read(head).decoding().speculation().drafter());
        Configuration uls = VlflowConfiguration.load(Optional.empty(), Map.of("vlflow.model.path", "m",
                "vlflow.decoding.uls-speedup", "2"));
        assertTrue(JobSpec.read(uls).decoding().speculation().lossy());
        Configuration both = VlflowConfiguration.load(Optional.empty(), Map.of("vlflow.model.path", "m",
                "vlflow.decoding.uls-speedup", "2", "vlflow.decoding.drafter", "tree"));
        assertThrows(IllegalArgumentException.class, () -> JobSpec.read(both));
    }

    @Test
    void badSettingsAreRefusedWithTheirKey() {
        IllegalArgumentException noModel = assertThrows(IllegalArgumentException.class,
                () -> JobSpec.read(VlflowConfiguration.bundled()));
        assertTrue(noModel.getMessage().contains("vlflow.model.path"));
        Configuration tooSmall = VlflowConfiguration.load(Optional.empty(), Map.of("vlflow.model.path", "m",
                "vlflow.kv.budget-tokens", "100"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> JobSpec.read(tooSmall)).getMessage()
                .contains("cannot hold"));
        Configuration provider = VlflowConfiguration.load(Optional.empty(), Map.of("vlflow.model.path", "m",
                "vlflow.model.provider", "tpu"));
        assertThrows(IllegalArgumentException.class, () -> JobSpec.read(provider));
        assertThrows(IllegalArgumentException.class,
                () -> VlflowConfiguration.load(Optional.of(temp.resolve("missing.yaml")), Map.of()));
    }

    @Test
    void everyOptionIsDocumented() {
        for (var option : VlflowConfiguration.options()) {
            assertTrue(option.key().startsWith("vlflow."), option.key());
            assertTrue(!option.description().toString().isBlank(), option.key());
        }
    }

    @Test
    void weightPrecisionIsReadAndCheckedAtTheEdge() {
        Configuration c = VlflowConfiguration.load(Optional.empty(), Map.of("vlflow.model.path", "m",
                "vlflow.model.weights", "INT4"));
        assertEquals("int4", JobSpec.read(c).model().weights());
        assertEquals(ModelSpec.cpu("m").withWeights("int4"), JobSpec.read(c).model());
        assertEquals("fp32", ModelSpec.cpu("m").weights());
        Configuration bad = VlflowConfiguration.load(Optional.empty(), Map.of("vlflow.model.path", "m",
                "vlflow.model.weights", "int3"));
        assertThrows(IllegalArgumentException.class, () -> JobSpec.read(bad));
    }

    @Test
    void theResizeIsReadAndCheckedAtTheEdge() {
        assertEquals("hf", JobSpec.read(VlflowConfiguration.load(Optional.empty(), Map.of("vlflow.model.path", "m")))
                .video().resize());
        Configuration c = VlflowConfiguration.load(Optional.empty(), Map.of("vlflow.model.path", "m",
                "vlflow.video.resize", "OpenCV"));
        assertEquals(new VideoSpec(4, 64, "opencv"), JobSpec.read(c).video());
        Configuration bad = VlflowConfiguration.load(Optional.empty(), Map.of("vlflow.model.path", "m",
                "vlflow.video.resize", "pil"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> JobSpec.read(bad)).getMessage()
                .contains("vlflow.video.resize"));
    }

    @Test
    void videoSpecBoundsWhatASegmentMayAskFor() {
        VideoSpec v = new VideoSpec(4, 8);
        assertEquals(4, v.frames(null));
        assertEquals(8, v.frames(8));
        assertThrows(IllegalArgumentException.class, () -> v.frames(9));
        assertThrows(IllegalArgumentException.class, () -> v.frames(0));
    }
}

package dev.vlflow.conf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;

class ZipVlSpecTest {

    @Test
    void parsesOffOnAndTau() {
        assertEquals(new ZipVlSpec.Off(), ZipVlSpec.parse("off"));
        assertEquals(new ZipVlSpec.On(0.975, 64, 64, List.of(0), 100, false, 0, false), ZipVlSpec.parse("on"));
        assertEquals(new ZipVlSpec.On(0.96, 64, 64, List.of(0), 100, false, 0, false), ZipVlSpec.parse(" On:0.96 "));
        assertThrows(IllegalArgumentException.class, () -> ZipVlSpec.parse("on:1.5"));
        assertThrows(IllegalArgumentException.class, () -> ZipVlSpec.parse("sparse"));
    }

    @Test
    void theJobReadsZipVlFromTheModelOptions() {
        Configuration c = VlflowConfiguration.load(Optional.empty(), Map.of("vlflow.model.path", "/models/x",
                "vlflow.model.zipvl", "on:0.99", "vlflow.model.zipvl-demote", "true"));
        assertEquals(new ZipVlSpec.On(0.99, 64, 64, List.of(0), 100, true, 0, false), ModelOptions.read(c).zipvl());
        Configuration dense = VlflowConfiguration.load(Optional.empty(), Map.of("vlflow.model.path", "/models/x"));
        assertEquals(new ZipVlSpec.Off(), ModelOptions.read(dense).zipvl());
    }
}

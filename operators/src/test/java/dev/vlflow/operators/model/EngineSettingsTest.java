package dev.vlflow.operators.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vlflow.conf.ModelSpec;
import dev.vlflow.conf.ZipVlSpec;
import dev.vlflow.engine.EngineOptions;
import dev.vlflow.engine.quant.WeightPrecision;
import dev.vlflow.engine.zipvl.ZipVlOptions;
import dev.vlflow.kv.CacheShape;
import dev.vlflow.kv.KvCache;
import java.util.List;
import java.util.OptionalDouble;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EngineSettingsTest {

    @Test
    void zipVlSpecBecomesEngineOptionsWithTheMixedCache() {
        ZipVlSpec.On on = new ZipVlSpec.On(0.96, 32, 16, List.of(0, 1), 50, true, 0, false);
        EngineOptions options = EngineSettings.engineOptions(ModelSpec.cpu("/m").withZipVl(on));
        assertEquals(new ZipVlOptions(0.96, 32, 16, Set.of(0, 1), OptionalDouble.empty(),
                ZipVlOptions.Attention.SPARSE, 50, ZipVlOptions.Demotion.DEMOTE, 0, ZipVlOptions.Dropping.OFF),
                options.zipvl().orElseThrow());
        KvCache cache = options.kvCache().create(new CacheShape(2, 1, 8));
        assertEquals(OptionalDouble.of(0.96), cache.importantMass(), "a mixed 4/2 cache ranked at ZipVL's tau");
    }

    @Test
    void denseSpecHasNoZipVlAndAFloatCache() {
        EngineOptions options = EngineSettings.engineOptions(ModelSpec.cpu("/m"));
        assertTrue(options.zipvl().isEmpty());
        assertTrue(options.kvCache().create(new CacheShape(2, 1, 8)).importantMass().isEmpty());
        assertEquals(WeightPrecision.FP32, options.weights());
    }

    @Test
    void weightsOfASpecBecomeTheEnginePrecision() {
        assertEquals(WeightPrecision.INT4, EngineSettings.engineOptions(ModelSpec.cpu("/m").withWeights("INT4"))
                .weights());
        assertEquals(WeightPrecision.INT8, EngineSettings.engineOptions(ModelSpec.cpu("/m").withWeights("int8"))
                .weights());
    }
}

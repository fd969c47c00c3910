package dev.vlflow.operators.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.vlflow.conf.ModelSpec;
import dev.vlflow.engine.VlModel;
import dev.vlflow.engine.model.make.ModelMaker;
import dev.vlflow.engine.model.make.ModelPreset;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One model per process and spec, shared by leases, closed with the last one. */
class SharedModelsTest {

    @TempDir
    Path temp;

    @Test
    void leasesShareOneModelAndTheLastOneClosesIt() {
        Path dir = ModelMaker.make(ModelMaker.Request.of(ModelPreset.TINY_RANDOM, temp.resolve("m"))).directory();
        ModelSpec spec = ModelSpec.cpu(dir.toString());
        ModelSpec other = new ModelSpec(dir.toString(), "cpu", 64, 8, "");
        ModelLease a = SharedModels.acquire(spec);
        ModelLease b = SharedModels.acquire(spec);
        ModelLease c = SharedModels.acquire(other);
        assertSame(a.model(), b.model());
        assertNotSame(a.model(), c.model(), "another spec is another model");
        assertEquals(2, SharedModels.references(spec));
        VlModel first = a.model();
        a.close();
        a.close(); // twice is harmless
        assertEquals(1, SharedModels.references(spec));
        assertThrows(IllegalStateException.class, a::model);
        b.close();
        c.close();
        assertEquals(0, SharedModels.references(spec));
        assertEquals(0, SharedModels.references(other));
        try (ModelLease again = SharedModels.acquire(spec)) {
            assertNotSame(first, again.model(), "loaded anew after the last lease closed it");
        }
    }
}

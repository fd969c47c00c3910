package dev.vlflow.operators.session;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vlflow.conf.ModelSpec;
import dev.vlflow.engine.VlModel;
import dev.vlflow.operators.model.SharedModels;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** The tiny random model made once per test class, and the check that every operator released its lease. */
abstract class TinyModelTestBase {

    @TempDir
    static Path temp;
    static Path modelDir;
    static VlModel model;

    @BeforeAll
    static void makeModel() {
        modelDir = SessionFixtures.makeTinyModel(temp.resolve("tiny-random"));
        model = VlModel.load(modelDir);
    }

    @AfterAll
    static void closeModel() {
        model.close();
        assertEquals(0, SharedModels.references(ModelSpec.cpu(modelDir.toString())), "every lease released");
    }
}

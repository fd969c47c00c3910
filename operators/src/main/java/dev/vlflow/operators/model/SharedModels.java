package dev.vlflow.operators.model;

import dev.vlflow.conf.ModelSpec;
import dev.vlflow.engine.VlModel;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * One loaded model per TaskManager process (per model spec), shared by every operator instance and slot that asks
 * for it, and closed when the last one lets go. This registry is the one mutable static of the operators: model
 * weights and ONNX sessions are too large to load once per slot, and ONNX Runtime sessions are safe to run from
 * several threads.
 */
public final class SharedModels {

    private static final Map<ModelSpec, Entry> MODELS = new HashMap<>();

    private static final class Entry {
        final VlModel model;
        int references;

        Entry(VlModel model) {
            this.model = model;
        }
    }

    private SharedModels() {
    }

    /** The model of {@code spec}, loaded on first use; close the lease when done (in the operator's close()). */
    public static ModelLease acquire(ModelSpec spec) {
        synchronized (MODELS) {
            Entry entry = MODELS.get(spec);
            if (entry == null) {
                entry = new Entry(VlModel.load(Path.of(spec.path()), EngineSettings.engineOptions(spec)));
                MODELS.put(spec, entry);
            }
            entry.references++;
            return new ModelLease(spec, entry.model);
        }
    }

    static void release(ModelSpec spec) {
        synchronized (MODELS) {
            Entry entry = MODELS.get(spec);
            if (entry == null) {
                throw new IllegalStateException("model " + spec.path() + " released more often than acquired");
            }
            if (--entry.references == 0) {
                MODELS.remove(spec);
                entry.model.close();
            }
        }
    }

    /** How many leases hold the model of {@code spec} (0 when not loaded); for tests. */
    public static int references(ModelSpec spec) {
        synchronized (MODELS) {
            Entry entry = MODELS.get(spec);
            return entry == null ? 0 : entry.references;
        }
    }
}

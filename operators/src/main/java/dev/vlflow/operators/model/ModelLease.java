package dev.vlflow.operators.model;

import dev.vlflow.conf.ModelSpec;
import dev.vlflow.engine.VlModel;

/** One holder's claim on a {@link SharedModels} model; closing it twice is harmless. */
public final class ModelLease implements AutoCloseable {

    private final ModelSpec spec;
    private VlModel model;

    ModelLease(ModelSpec spec, VlModel model) {
        this.spec = spec;
        this.model = model;
    }

    public VlModel model() {
        if (model == null) {
            throw new IllegalStateException("model lease of " + spec.path() + " is closed");
        }
        return model;
    }

    @Override
    public void close() {
        if (model != null) {
            model = null;
            SharedModels.release(spec);
        }
    }
}

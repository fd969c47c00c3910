package dev.vlflow.pipeline.eval;

import dev.vlflow.engine.VlModel;
import java.io.Serializable;

/** Makes the frame sampler for a loaded model (its processor config decides size and normalization). */
@FunctionalInterface
public interface FrameSamplerFactory extends Serializable {

    FrameSampler create(VlModel model);
}

package dev.vlflow.engine.reference;

import dev.vlflow.engine.model.CheckpointException;
import dev.vlflow.engine.model.TensorInfo;
import dev.vlflow.engine.model.Weights;

import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * Fetches canonical tensors from {@link Weights} as float32 views, checking each shape against the one the config
 * implies, so that a wrong fixture or checkpoint fails with the tensor's name and both shapes.
 */
final class ShapeCheckedTensors {

    private final Weights weights;

    ShapeCheckedTensors(Weights weights) {
        this.weights = weights;
    }

    /** The tensor {@code name}, which must have exactly {@code shape}; row-major float32. */
    FloatBuffer get(String name, long... shape) {
        TensorInfo info = weights.info(name);
        if (!Arrays.equals(info.shape(), shape)) {
            throw new CheckpointException("reference: tensor " + name + " has shape " + Arrays.toString(info.shape())
                    + ", expected " + Arrays.toString(shape));
        }
        return weights.floats(name);
    }
}

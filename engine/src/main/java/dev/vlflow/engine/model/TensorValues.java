package dev.vlflow.engine.model;

/** Source of a tensor's values for writing, produced in row-major chunks so nothing is held whole. */
@FunctionalInterface
public interface TensorValues {

    /**
     * Fills {@code out[0..count)} with elements {@code [start, start + count)} of the tensor, row-major.
     *
     * @param canonicalName the tensor's canonical (current-layout) name
     */
    void fill(String canonicalName, long start, float[] out, int count);
}

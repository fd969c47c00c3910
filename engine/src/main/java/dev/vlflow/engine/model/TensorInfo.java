package dev.vlflow.engine.model;

import java.util.Arrays;

/** Name, element type and shape of one checkpoint tensor. */
public record TensorInfo(String name, DType dtype, long[] shape) {
    public long elements() {
        return elements(shape);
    }

    /** The number of elements of a tensor of {@code shape}: the product of its dimensions (1 for a scalar). */
    public static long elements(long... shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    @Override
    public String toString() {
        return name + " " + dtype + " " + Arrays.toString(shape);
    }
}

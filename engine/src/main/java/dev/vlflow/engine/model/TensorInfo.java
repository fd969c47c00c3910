package dev.vlflow.engine.model;

import java.util.Arrays;

/** Name, element type and shape of one checkpoint tensor. */
public record TensorInfo(String name, DType dtype, long[] shape) {
    public long elements() {
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

package dev.vlflow.engine.onnx;

import java.util.Objects;

/** One dimension of a graph input or output: a fixed size or a symbolic name ({@code T}, {@code F}). */
public sealed interface Dim {

    record Fixed(long size) implements Dim {
        public Fixed {
            if (size < 0) {
                throw new IllegalArgumentException("negative dimension " + size);
            }
        }
    }

    record Symbolic(String name) implements Dim {
        public Symbolic {
            Objects.requireNonNull(name, "name");
        }
    }

    static Dim of(long size) {
        return new Fixed(size);
    }

    static Dim sym(String name) {
        return new Symbolic(name);
    }
}

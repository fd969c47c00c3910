package dev.vlflow.engine.onnx;

import java.util.Objects;

/** A named tensor flowing through a graph under construction: an input, an initializer or a node output. */
public record Value(String name) {
    public Value {
        Objects.requireNonNull(name, "name");
    }
}

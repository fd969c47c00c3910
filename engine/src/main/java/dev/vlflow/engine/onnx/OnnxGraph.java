package dev.vlflow.engine.onnx;

import java.util.List;
import java.util.Objects;

/**
 * A built graph: its serialized {@code ModelProto} and the names a session needs.
 *
 * @param name            graph name ({@code vision_tower}, {@code layers.3.pre_attention}, ...)
 * @param model           the ONNX {@code ModelProto} bytes (weights not included)
 * @param externalWeights checkpoint tensor names declared as external initializers, to be supplied at session creation
 * @param inputs          graph input names in declaration order
 * @param outputs         graph output names in declaration order
 * @param nodes           node names in topological order
 */
public record OnnxGraph(String name, byte[] model, List<String> externalWeights, List<String> inputs,
                        List<String> outputs, List<String> nodes) {
    public OnnxGraph {
        Objects.requireNonNull(name, "name");
        model = model.clone();
        externalWeights = List.copyOf(externalWeights);
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        nodes = List.copyOf(nodes);
    }

    @Override
    public byte[] model() {
        return model.clone();
    }
}

package dev.vlflow.engine.onnx;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Builds one ONNX graph (IR 8, default-domain opset 17) node by node.
 *
 * <p>Nodes carry hierarchical names ({@code /model/layers.3/mlp/up_proj}); a node's single output is named
 * {@code <node name>/output_0}. Checkpoint weights are declared with {@link #weight} as external initializers (their
 * data never enters the protobuf; the session supplies them as tensors), small constants are inline.
 * All float tensors are float32.
 */
public final class GraphBuilder {

    /** A node as it will be written. */
    /** A node as it will be written; {@code domain} is empty for the default ONNX domain. */
    public record Node(String name, String opType, String domain, List<String> inputs, List<String> outputs,
                       List<Attribute> attributes) {
        public Node {
            Objects.requireNonNull(domain, "domain");
            inputs = List.copyOf(inputs);
            outputs = List.copyOf(outputs);
            attributes = List.copyOf(attributes);
        }
    }

    /** The domain of ONNX Runtime's contributed operators ({@code MatMulNBits}). */
    public static final String MICROSOFT = "com.microsoft";

    /** A float32 graph input or output with its (possibly symbolic) shape. */
    public record Port(String name, List<Dim> shape) {
        public Port {
            shape = List.copyOf(shape);
        }
    }

    /** An initializer: external (checkpoint weight, no data here) or an inline constant. */
    public sealed interface Initializer {
        String name();

        long[] shape();

        /** Supplied by the session; {@code dataType} is an ONNX {@code TensorProto.DataType} (1 float, 2 uint8). */
        record External(String name, long[] shape, int dataType) implements Initializer {
        }

        record Floats(String name, long[] shape, float[] data) implements Initializer {
        }

        record Longs(String name, long[] shape, long[] data) implements Initializer {
        }
    }

    private final String graphName;
    private final List<Port> inputs = new ArrayList<>();
    private final List<Port> outputs = new ArrayList<>();
    private final List<Node> nodes = new ArrayList<>();
    private final List<Initializer> initializers = new ArrayList<>();
    private final Set<String> names = new HashSet<>();
    private final Set<String> externalNames = new LinkedHashSet<>();

    public GraphBuilder(String graphName) {
        this.graphName = Objects.requireNonNull(graphName, "graphName");
    }

    /** Declares a float32 graph input. */
    public Value input(String name, Dim... shape) {
        claim(name);
        inputs.add(new Port(name, Arrays.asList(shape)));
        return new Value(name);
    }

    /**
     * Declares {@code value} a graph output under {@code name}: the producing node's output is renamed (an Identity
     * is inserted only when the value is a graph input or initializer). Later nodes may consume the returned value.
     */
    public Value output(Value value, String name, Dim... shape) {
        claim(name);
        int producer = producerOf(value.name());
        if (producer < 0) {
            nodes.add(new Node(name + "/Identity", "Identity", "", List.of(value.name()), List.of(name), List.of()));
        } else {
            Node n = nodes.get(producer);
            List<String> outs = new ArrayList<>(n.outputs());
            outs.replaceAll(o -> o.equals(value.name()) ? name : o);
            nodes.set(producer, new Node(n.name(), n.opType(), n.domain(), n.inputs(), outs, n.attributes()));
            for (int i = producer + 1; i < nodes.size(); i++) {
                Node c = nodes.get(i);
                if (c.inputs().contains(value.name())) {
                    List<String> ins = new ArrayList<>(c.inputs());
                    ins.replaceAll(x -> x.equals(value.name()) ? name : x);
                    nodes.set(i, new Node(c.name(), c.opType(), c.domain(), ins, c.outputs(), c.attributes()));
                }
            }
        }
        outputs.add(new Port(name, Arrays.asList(shape)));
        return new Value(name);
    }

    /**
     * A checkpoint tensor, declared as an external initializer under its checkpoint name. Declaring the same
     * weight twice returns the same value.
     */
    public Value weight(String name, long[] shape) {
        return external(name, shape, OnnxEncoding.FLOAT);
    }

    /** A uint8 tensor the session supplies (packed quantized weights), declared like {@link #weight}. */
    public Value bytesWeight(String name, long[] shape) {
        return external(name, shape, OnnxEncoding.UINT8);
    }

    private Value external(String name, long[] shape, int dataType) {
        if (externalNames.contains(name)) {
            return new Value(name);
        }
        claim(name);
        externalNames.add(name);
        initializers.add(new Initializer.External(name, shape.clone(), dataType));
        return new Value(name);
    }

    /** A float32 scalar constant (shape []). */
    public Value scalar(String name, float value) {
        claim(name);
        initializers.add(new Initializer.Floats(name, new long[0], new float[] {value}));
        return new Value(name);
    }

    /** A 1-D int64 constant (shapes for Reshape, sizes for Resize). */
    public Value longs(String name, long... values) {
        claim(name);
        initializers.add(new Initializer.Longs(name, new long[] {values.length}, values.clone()));
        return new Value(name);
    }

    /** A node with one output, named {@code <name>/output_0}. */
    public Value op(String name, String opType, List<Value> in, Attribute... attributes) {
        return op(name, opType, in, 1, attributes).get(0);
    }

    /** A node with {@code outputCount} outputs, named {@code <name>/output_<i>}. */
    public List<Value> op(String name, String opType, List<Value> in, int outputCount, Attribute... attributes) {
        return op(name, "", opType, in, outputCount, attributes);
    }

    /** A one-output node of operator {@code opType} in {@code domain} (e.g. {@link #MICROSOFT}). */
    public Value op(String name, String domain, String opType, List<Value> in, Attribute... attributes) {
        return op(name, domain, opType, in, 1, attributes).get(0);
    }

    private List<Value> op(String name, String domain, String opType, List<Value> in, int outputCount,
                           Attribute... attributes) {
        if (!name.startsWith("/")) {
            throw new IllegalArgumentException("node names are hierarchical paths starting with '/': " + name);
        }
        claim(name);
        List<String> ins = new ArrayList<>();
        for (Value v : in) {
            ins.add(v.name());
        }
        List<Value> out = new ArrayList<>();
        List<String> outNames = new ArrayList<>();
        for (int i = 0; i < outputCount; i++) {
            String o = name + "/output_" + i;
            claim(o);
            out.add(new Value(o));
            outNames.add(o);
        }
        nodes.add(new Node(name, opType, domain, ins, outNames, Arrays.asList(attributes)));
        return out;
    }

    // ---- elementary operators (opset 17 semantics) ----

    public Value add(String name, Value a, Value b) {
        return op(name, "Add", List.of(a, b));
    }

    public Value mul(String name, Value a, Value b) {
        return op(name, "Mul", List.of(a, b));
    }

    public Value reshape(String name, Value x, long... shape) {
        return op(name, "Reshape", List.of(x, longs(name + "/shape", shape)));
    }

    public Value transpose(String name, Value x, long... perm) {
        return op(name, "Transpose", List.of(x), Attribute.ints("perm", perm));
    }

    /** {@code y = x · wᵀ (+ bias)} for 2-D {@code x [M, K]} and a checkpoint weight {@code w [N, K]}: no copy. */
    public Value gemmTransB(String name, Value x, Value w) {
        return op(name, "Gemm", List.of(x, w), Attribute.i("transB", 1));
    }

    /** {@code y = x · wᵀ + bias}, bias {@code [N]} broadcast over rows. */
    public Value gemmTransB(String name, Value x, Value w, Value bias) {
        return op(name, "Gemm", List.of(x, w, bias), Attribute.i("transB", 1));
    }

    /** The graph as an ONNX {@code ModelProto}. */
    public OnnxGraph build() {
        byte[] bytes = OnnxEncoding.model(graphName, nodes, initializers, inputs, outputs);
        List<String> nodeNames = new ArrayList<>();
        for (Node n : nodes) {
            nodeNames.add(n.name());
        }
        return new OnnxGraph(graphName, bytes, List.copyOf(externalNames), names(inputs), names(outputs), nodeNames);
    }

    private static List<String> names(List<Port> ports) {
        List<String> out = new ArrayList<>();
        for (Port p : ports) {
            out.add(p.name());
        }
        return out;
    }

    private int producerOf(String value) {
        for (int i = nodes.size() - 1; i >= 0; i--) {
            if (nodes.get(i).outputs().contains(value)) {
                return i;
            }
        }
        return -1;
    }

    private void claim(String name) {
        if (!names.add(name)) {
            throw new IllegalArgumentException("graph " + graphName + " already has a value or node named " + name);
        }
    }
}

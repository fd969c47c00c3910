package dev.vlflow.engine.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * The ONNX wire format (field numbers of {@code onnx.proto}) for what {@link GraphBuilder} holds.
 *
 * <pre>
 * ModelProto      ir_version=1 producer_name=2 producer_version=3 graph=7 opset_import=8
 * OperatorSetId   domain=1 version=2
 * GraphProto      node=1 name=2 initializer=5 input=11 output=12
 * NodeProto       input=1 output=2 name=3 op_type=4 attribute=5 domain=7 (com.microsoft nodes: opset 1 imported)
 * AttributeProto  name=1 f=2 i=3 s=4 ints=8 type=20 (FLOAT=1 INT=2 STRING=3 INTS=7)
 * TensorProto     dims=1 data_type=2 name=8 raw_data=9 external_data=13 data_location=14 (EXTERNAL=1)
 * StringStringEntry key=1 value=2
 * ValueInfoProto  name=1 type=2;  TypeProto tensor_type=1;  Tensor elem_type=1 shape=2
 * TensorShapeProto dim=1;  Dimension dim_value=1 dim_param=2
 * </pre>
 */
final class OnnxEncoding {

    static final long IR_VERSION = 8;
    static final long OPSET = 17;
    static final int FLOAT = 1;
    static final int UINT8 = 2;
    static final int INT64 = 7;
    /** The external_data location of weights that a session supplies itself (never read from disk). */
    static final String SUPPLIED_AT_SESSION = "supplied-by-session";

    private OnnxEncoding() {
    }

    static byte[] model(String graphName, List<GraphBuilder.Node> nodes, List<GraphBuilder.Initializer> inits,
                        List<GraphBuilder.Port> inputs, List<GraphBuilder.Port> outputs) {
        ProtoMessage graph = new ProtoMessage();
        for (GraphBuilder.Node n : nodes) {
            graph.message(1, node(n));
        }
        graph.string(2, graphName);
        for (GraphBuilder.Initializer i : inits) {
            graph.message(5, tensor(i));
        }
        for (GraphBuilder.Port p : inputs) {
            graph.message(11, valueInfo(p));
        }
        for (GraphBuilder.Port p : outputs) {
            graph.message(12, valueInfo(p));
        }
        ProtoMessage model = new ProtoMessage()
                .int64(1, IR_VERSION)
                .string(2, "vlflow")
                .string(3, "0.1")
                .message(7, graph)
                .message(8, new ProtoMessage().string(1, "").int64(2, OPSET));
        if (nodes.stream().anyMatch(n -> n.domain().equals(GraphBuilder.MICROSOFT))) {
            model.message(8, new ProtoMessage().string(1, GraphBuilder.MICROSOFT).int64(2, 1));
        }
        return model.toByteArray();
    }

    private static ProtoMessage node(GraphBuilder.Node n) {
        ProtoMessage m = new ProtoMessage();
        for (String in : n.inputs()) {
            m.string(1, in);
        }
        for (String out : n.outputs()) {
            m.string(2, out);
        }
        m.string(3, n.name()).string(4, n.opType());
        for (Attribute a : n.attributes()) {
            m.message(5, attribute(a));
        }
        if (!n.domain().isEmpty()) {
            m.string(7, n.domain());
        }
        return m;
    }

    static ProtoMessage attribute(Attribute a) {
        ProtoMessage m = new ProtoMessage().string(1, a.name());
        if (a instanceof Attribute.IntValue v) {
            return m.int64(3, v.value()).int64(20, 2);
        } else if (a instanceof Attribute.FloatValue v) {
            return m.float32(2, v.value()).int64(20, 1);
        } else if (a instanceof Attribute.StringValue v) {
            return m.bytes(4, v.value().getBytes(java.nio.charset.StandardCharsets.UTF_8)).int64(20, 3);
        } else if (a instanceof Attribute.IntsValue v) {
            for (long x : v.values()) {
                m.int64(8, x);
            }
            return m.int64(20, 7);
        }
        throw new IllegalStateException("unknown attribute kind " + a);
    }

    private static ProtoMessage tensor(GraphBuilder.Initializer init) {
        ProtoMessage m = new ProtoMessage();
        for (long d : init.shape()) {
            m.int64(1, d);
        }
        if (init instanceof GraphBuilder.Initializer.External e) {
            return m.int64(2, e.dataType()).string(8, init.name())
                    .message(13, new ProtoMessage().string(1, "location").string(2, SUPPLIED_AT_SESSION))
                    .int64(14, 1);
        } else if (init instanceof GraphBuilder.Initializer.Floats f) {
            ByteBuffer raw = ByteBuffer.allocate(4 * f.data().length).order(ByteOrder.LITTLE_ENDIAN);
            raw.asFloatBuffer().put(f.data());
            return m.int64(2, FLOAT).string(8, init.name()).bytes(9, raw.array());
        } else if (init instanceof GraphBuilder.Initializer.Longs l) {
            ByteBuffer raw = ByteBuffer.allocate(8 * l.data().length).order(ByteOrder.LITTLE_ENDIAN);
            raw.asLongBuffer().put(l.data());
            return m.int64(2, INT64).string(8, init.name()).bytes(9, raw.array());
        }
        throw new IllegalStateException("unknown initializer kind " + init);
    }

    private static ProtoMessage valueInfo(GraphBuilder.Port p) {
        ProtoMessage shape = new ProtoMessage();
        for (Dim d : p.shape()) {
            ProtoMessage dim = new ProtoMessage();
            if (d instanceof Dim.Fixed f) {
                dim.int64(1, f.size());
            } else if (d instanceof Dim.Symbolic s) {
                dim.string(2, s.name());
            }
            shape.message(1, dim);
        }
        ProtoMessage tensorType = new ProtoMessage().int64(1, FLOAT).message(2, shape);
        return new ProtoMessage().string(1, p.name()).message(2, new ProtoMessage().message(1, tensorType));
    }
}

package dev.vlflow.engine.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.vlflow.engine.model.TensorInfo;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** One graph's ONNX Runtime session: float arrays in, float arrays out. Owns the session and its options. */
final class GraphSession implements AutoCloseable {

    /** One float32 input, row-major in {@code shape}. */
    record Input(float[] data, long... shape) {
        Input {
            long n = TensorInfo.elements(shape);
            if (n != data.length) {
                throw new IllegalArgumentException("input of shape " + Arrays.toString(shape) + " needs " + n
                        + " floats, got " + data.length);
            }
        }
    }

    private final OrtEnvironment env;
    private final OnnxGraph graph;
    private final OrtSession.SessionOptions options;
    private final OrtSession session;

    GraphSession(OrtEnvironment env, OnnxGraph graph, OrtSession.SessionOptions options, OrtSession session) {
        this.env = env;
        this.graph = graph;
        this.options = options;
        this.session = session;
    }

    OnnxGraph graph() {
        return graph;
    }

    /** Runs the graph on inputs given in the graph's input order; returns outputs in the graph's output order. */
    float[][] run(Input... inputs) {
        List<String> names = graph.inputs();
        if (inputs.length != names.size()) {
            throw new IllegalArgumentException("graph " + graph.name() + " takes " + names.size() + " inputs "
                    + names + ", got " + inputs.length);
        }
        Map<String, OnnxTensor> feeds = new HashMap<>();
        try {
            for (int i = 0; i < inputs.length; i++) {
                feeds.put(names.get(i), OnnxTensor.createTensor(env, FloatBuffer.wrap(inputs[i].data()),
                        inputs[i].shape()));
            }
            try (OrtSession.Result result = session.run(feeds)) {
                float[][] out = new float[graph.outputs().size()][];
                for (int i = 0; i < out.length; i++) {
                    String name = graph.outputs().get(i);
                    OnnxValue value = result.get(name).orElseThrow(
                            () -> new OnnxException("graph " + graph.name() + " returned no output " + name));
                    out[i] = toArray(((OnnxTensor) value).getFloatBuffer());
                }
                return out;
            }
        } catch (OrtException e) {
            throw new OnnxException("graph " + graph.name() + " failed: " + e.getMessage(), e);
        } finally {
            for (OnnxTensor t : feeds.values()) {
                t.close();
            }
        }
    }

    private static float[] toArray(FloatBuffer buffer) {
        if (buffer.hasArray() && buffer.arrayOffset() == 0 && buffer.position() == 0
                && buffer.remaining() == buffer.array().length) {
            return buffer.array();
        }
        float[] out = new float[buffer.remaining()];
        buffer.get(out);
        return out;
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new OnnxException("closing session of graph " + graph.name() + " failed: " + e.getMessage(), e);
        } finally {
            options.close();
        }
    }
}

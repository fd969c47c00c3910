package dev.vlflow.engine.onnx;

/** ONNX Runtime failed to build or run a graph, or an execution provider is unavailable; the message says which. */
public class OnnxException extends RuntimeException {
    public OnnxException(String message) {
        super(message);
    }

    public OnnxException(String message, Throwable cause) {
        super(message, cause);
    }
}

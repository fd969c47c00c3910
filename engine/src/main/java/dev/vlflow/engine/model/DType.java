package dev.vlflow.engine.model;

/** Element types a safetensors checkpoint may hold for the model's tensors. */
public enum DType {
    F32(4, "F32"), F16(2, "F16"), BF16(2, "BF16");

    private final int bytes;
    private final String safetensorsName;

    DType(int bytes, String safetensorsName) {
        this.bytes = bytes;
        this.safetensorsName = safetensorsName;
    }

    public int bytes() {
        return bytes;
    }

    /** The dtype string in a safetensors header. */
    public String safetensorsName() {
        return safetensorsName;
    }
}

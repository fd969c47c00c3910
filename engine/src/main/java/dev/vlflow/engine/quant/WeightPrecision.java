package dev.vlflow.engine.quant;

import java.util.Locale;

/**
 * How the decoder's linear weights (q/k/v/o, gate/up/down) and the LM head are held in ONNX Runtime. The checkpoint
 * stays as it is; {@link #INT8} and {@link #INT4} are quantized at load ({@link BlockQuantizer}), symmetric, one
 * float scale per {@link #blockSize()} weights along K, and run as {@code com.microsoft MatMulNBits}. Biases,
 * norms, embeddings and the vision tower stay float32.
 */
public enum WeightPrecision {
    /** The checkpoint's weights as float32 ({@code Gemm}). */
    FP32(32, 0),
    /** 8-bit weights, one scale per 32 weights along K (llama.cpp q8_0's geometry; 1 bit per weight of scales). */
    INT8(8, 32),
    /** 4-bit weights, one scale per 32 weights along K (llama.cpp q4_0's geometry). */
    INT4(4, 32);

    private final int bits;
    private final int blockSize;

    WeightPrecision(int bits, int blockSize) {
        this.bits = bits;
        this.blockSize = blockSize;
    }

    /** Bits per stored weight (32 for {@link #FP32}). */
    public int bits() {
        return bits;
    }

    /** Weights sharing one scale along K; 0 for {@link #FP32}. */
    public int blockSize() {
        return blockSize;
    }

    public boolean quantized() {
        return this != FP32;
    }

    /** Bytes read per weight, scales included. */
    public double bytesPerWeight() {
        return quantized() ? bits / 8.0 + 4.0 / blockSize : 4.0;
    }

    /** The lower-case name used on command lines and in configuration: {@code fp32}, {@code int8}, {@code int4}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses {@code fp32}, {@code int8} or {@code int4} (case-insensitive).
     *
     * @throws IllegalArgumentException anything else
     */
    public static WeightPrecision parse(String text) {
        for (WeightPrecision p : values()) {
            if (p.label().equalsIgnoreCase(text.trim())) {
                return p;
            }
        }
        throw new IllegalArgumentException("weights must be fp32, int8 or int4, got '" + text + "'");
    }
}

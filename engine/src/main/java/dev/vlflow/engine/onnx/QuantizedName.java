package dev.vlflow.engine.onnx;

import dev.vlflow.engine.quant.WeightPrecision;
import java.util.Objects;
import java.util.Optional;

/**
 * The initializer name of one part of a checkpoint weight quantized at load:
 * {@code <checkpoint name>/<precision>/packed} (uint8 codes) or {@code .../scales} (float32). Written by
 * {@link Blocks} and read back by {@link SessionFactory}, which quantizes the checkpoint tensor on first use.
 */
record QuantizedName(String weight, WeightPrecision precision, Part part) {

    enum Part { PACKED, SCALES }

    QuantizedName {
        Objects.requireNonNull(weight, "weight");
        if (!precision.quantized()) {
            throw new IllegalArgumentException(precision + " is not a quantized precision");
        }
    }

    String initializer() {
        return weight + "/" + precision.label() + "/" + part.name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The quantized part an initializer name denotes, or empty for a plain checkpoint tensor. */
    static Optional<QuantizedName> parse(String initializer) {
        String[] pieces = initializer.split("/");
        if (pieces.length != 3) {
            return Optional.empty();
        }
        for (WeightPrecision p : WeightPrecision.values()) {
            for (Part part : Part.values()) {
                if (p.quantized() && p.label().equals(pieces[1])
                        && part.name().toLowerCase(java.util.Locale.ROOT).equals(pieces[2])) {
                    return Optional.of(new QuantizedName(pieces[0], p, part));
                }
            }
        }
        return Optional.empty();
    }
}

package dev.vlflow.engine.decode;

import java.util.Objects;

/**
 * How an answer is decoded: the drafter whose candidates the full model verifies (lossless), and which layers
 * generated tokens go through (Unified Layer Skipping is lossy). The two do not combine: layer skipping decodes
 * plainly.
 */
public record Decoding(DrafterSpec drafter, LayerSkipping layers) {

    public Decoding {
        Objects.requireNonNull(drafter, "drafter");
        Objects.requireNonNull(layers, "layers");
        if (layers instanceof LayerSkipping.Unified && drafter.draftLength() > 0) {
            throw new IllegalArgumentException("Unified Layer Skipping decodes without a drafter, got "
                    + drafter.name());
        }
    }

    /** Plain decoding with every layer. */
    public static Decoding plain() {
        return new Decoding(new DrafterSpec.None(), new LayerSkipping.AllLayers());
    }

    public static Decoding of(DrafterSpec drafter) {
        return new Decoding(drafter, new LayerSkipping.AllLayers());
    }

    public boolean lossy() {
        return layers.lossy();
    }

    /** e.g. {@code prompt-lookup(k=8)} or {@code uls(s=2, lossy)}. */
    public String describe() {
        if (layers instanceof LayerSkipping.Unified u) {
            return "uls(s=" + u.speedup() + (u.lossy() ? ", lossy)" : ")");
        }
        return drafter.draftLength() == 0 ? "plain" : drafter.name() + "(k=" + drafter.draftLength()
                + (drafter instanceof DrafterSpec.Tree t ? ", width=" + t.width()
                : drafter instanceof DrafterSpec.Head h ? ", width=" + h.width() : "") + ")";
    }
}

package dev.vlflow.engine.model.make;

import dev.vlflow.engine.model.DType;
import dev.vlflow.engine.model.ModelConfig;
import dev.vlflow.engine.model.TextConfig;
import dev.vlflow.engine.model.VisionConfig;
import dev.vlflow.engine.text.SpecialTokens;
import java.util.List;
import java.util.Locale;

/**
 * Shapes of the checkpoints the project generates.
 *
 * <ul>
 *   <li>{@code tiny-random}: ~1 M parameters for tests. Decoder 128 wide, 4 layers, 4 query / 2 KV heads; SigLIP
 *       96 wide, 2 layers, 112 px frames at patch 14 (8x8 patches -> 4x4 pooled = 16 tokens per frame); vocabulary
 *       = tokenizer size rounded up to a multiple of 64.</li>
 *   <li>{@code small-random}: the decoder of Qwen2-0.5B (24 layers, 896 wide, 14 / 2 heads, 4864 MLP, 152000
 *       embedding rows) and a 384 px SigLIP-so400m tower cut to 2 layers; ~0.5 B parameters, for benchmarks.</li>
 *   <li>{@code tiny-trained}: the {@code tiny-random} shape trained by {@code tools/train} on the synthetic
 *       Video-MME set; not generated but copied from the repository's {@code models/tiny-trained/}
 *       ({@link TrainedCheckpoint}).</li>
 * </ul>
 */
public enum ModelPreset {
    TINY_RANDOM("tiny-random", DType.F32),
    SMALL_RANDOM("small-random", DType.BF16),
    TINY_TRAINED("tiny-trained", DType.F32);

    private final String cliName;
    private final DType defaultDtype;

    ModelPreset(String cliName, DType defaultDtype) {
        this.cliName = cliName;
        this.defaultDtype = defaultDtype;
    }

    public String cliName() {
        return cliName;
    }

    public DType defaultDtype() {
        return defaultDtype;
    }

    /** Whether the weights come from training (copied from the repository) rather than a seed. */
    public boolean trained() {
        return this == TINY_TRAINED;
    }

    public static ModelPreset parse(String name) {
        for (ModelPreset p : values()) {
            if (p.cliName.equals(name.toLowerCase(Locale.ROOT))) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown preset '" + name + "' (tiny-random|small-random|tiny-trained)");
    }

    /** The model config for a tokenizer of {@code tokenizerSize} ids whose special tokens are {@code special}. */
    public ModelConfig config(SpecialTokens special, int tokenizerSize) {
        TextConfig text;
        VisionConfig vision;
        switch (this) {
            case TINY_RANDOM, TINY_TRAINED -> {
                int vocab = (tokenizerSize + 63) / 64 * 64;
                text = new TextConfig(vocab, 128, 384, 4, 4, 2, 1e-6, 1e6, 32768, true);
                vision = new VisionConfig(96, 384, 2, 4, 14, 112, 3, 1e-6, "gelu_pytorch_tanh");
            }
            case SMALL_RANDOM -> {
                if (tokenizerSize > 152000) {
                    throw new IllegalArgumentException("tokenizer of " + tokenizerSize + " ids exceeds 152000 rows");
                }
                text = new TextConfig(152000, 896, 4864, 24, 14, 2, 1e-6, 1e6, 32768, true);
                vision = new VisionConfig(1152, 4304, 2, 16, 14, 384, 3, 1e-6, "gelu_pytorch_tanh");
            }
            default -> throw new AssertionError(this);
        }
        return new ModelConfig(text, vision, special.image(), special.video(),
                List.of(special.imEnd(), special.endOfText()), "gelu");
    }
}

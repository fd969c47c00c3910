package dev.vlflow.cli;

import dev.vlflow.conf.DecodingSpec;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The decoding flags shared by {@code ask} and {@code eval}: parsed here, once, into a typed speculation spec. */
public final class DecodingFlags {

    @Option(names = "--drafter", defaultValue = "none", converter = DrafterConverter.class,
            description = "drafter whose candidates the model verifies (lossless): none, prompt-lookup, layer-skip,"
                    + " tree or draft-head (needs draft_head.safetensors in the checkpoint) (default ${DEFAULT-VALUE})")
    DecodingSpec.Drafter drafter;

    @Option(names = "--draft-length", defaultValue = "8",
            description = "most drafted candidates on one path per step; 0 = plain decoding (default ${DEFAULT-VALUE})")
    int draftLength;

    @Option(names = "--tree-width", defaultValue = "3",
            description = "candidates per depth of the tree and draft-head drafters (default ${DEFAULT-VALUE})")
    int treeWidth;

    @Option(names = "--min-ngram", defaultValue = "2",
            description = "shortest suffix (1-3 tokens) prompt lookup matches (default ${DEFAULT-VALUE})")
    int minNgram;

    @Option(names = "--skip-attention", split = ",",
            description = "layers whose attention the layer-skip drafter skips (default: searched on the first answers)")
    List<Integer> skipAttention = new ArrayList<>();

    @Option(names = "--skip-mlp", split = ",", description = "layers whose MLP the layer-skip drafter skips")
    List<Integer> skipMlp = new ArrayList<>();

    @Option(names = "--uls-speedup", defaultValue = "1",
            description = "Unified Layer Skipping's nominal speedup: LOSSY above 1, generated tokens go through a "
                    + "fixed subset of layers (default ${DEFAULT-VALUE}: every layer)")
    int ulsSpeedup;

    DecodingSpec.Speculation speculation() {
        return new DecodingSpec.Speculation(drafter, draftLength, treeWidth, minNgram, skipAttention, skipMlp,
                ulsSpeedup);
    }

    /** Matches the configuration names ({@code prompt-lookup}), case-insensitively. */
    static final class DrafterConverter implements picocli.CommandLine.ITypeConverter<DecodingSpec.Drafter> {
        @Override
        public DecodingSpec.Drafter convert(String value) {
            for (DecodingSpec.Drafter d : DecodingSpec.Drafter.values()) {
                if (d.toString().equalsIgnoreCase(value.trim())) {
                    return d;
                }
            }
            throw new picocli.CommandLine.TypeConversionException("unknown drafter '" + value
                    + "' (none, prompt-lookup, layer-skip, tree or draft-head)");
        }
    }
}

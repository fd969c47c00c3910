package dev.vlflow.conf;

import static org.apache.flink.configuration.ConfigOptions.key;

import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ReadableConfig;

/** Default limits and sampling of answers (a question may override them): {@code vlflow.decoding.*}. */
public final class DecodingOptions {

    public static final ConfigOption<Integer> MAX_NEW_TOKENS = key("vlflow.decoding.max-new-tokens").intType()
            .defaultValue(32).withDescription("Most generated tokens of an answer.");
    public static final ConfigOption<Double> TEMPERATURE = key("vlflow.decoding.temperature").doubleType()
            .noDefaultValue().withDescription("Sampling temperature; unset: greedy decoding.");
    public static final ConfigOption<Double> TOP_P = key("vlflow.decoding.top-p").doubleType().defaultValue(1.0)
            .withDescription("Nucleus mass when sampling.");
    public static final ConfigOption<Long> SEED = key("vlflow.decoding.seed").longType().defaultValue(0L)
            .withDescription("Seed of the sampler (same seed, same text).");

    public static final ConfigOption<DecodingSpec.Drafter> DRAFTER = key("vlflow.decoding.drafter")
            .enumType(DecodingSpec.Drafter.class).defaultValue(DecodingSpec.Drafter.NONE)
            .withDescription("Drafter whose candidates the model verifies (lossless): none, prompt-lookup, layer-skip, "
                    + "tree, or draft-head (a trained head in the checkpoint's draft_head.safetensors).");
    public static final ConfigOption<Integer> DRAFT_LENGTH = key("vlflow.decoding.draft-length").intType()
            .defaultValue(DecodingSpec.Speculation.DEFAULT_DRAFT_LENGTH)
            .withDescription("Most drafted candidates on one path per step (0: plain decoding).");
    public static final ConfigOption<Integer> TREE_WIDTH = key("vlflow.decoding.tree-width").intType()
            .defaultValue(DecodingSpec.Speculation.DEFAULT_TREE_WIDTH)
            .withDescription("Candidates per depth of the tree drafter.");
    public static final ConfigOption<Integer> MIN_NGRAM = key("vlflow.decoding.min-ngram").intType()
            .defaultValue(DecodingSpec.Speculation.DEFAULT_MIN_NGRAM)
            .withDescription("Shortest suffix (1-3 tokens) prompt lookup matches in the stream's text.");
    public static final ConfigOption<List<Integer>> SKIP_ATTENTION = key("vlflow.decoding.skip-attention").intType()
            .asList().defaultValues().withDescription("Layers whose attention the layer-skip drafter skips; with "
                    + "skip-mlp empty too, the skip set is searched on each stream's first answers.");
    public static final ConfigOption<List<Integer>> SKIP_MLP = key("vlflow.decoding.skip-mlp").intType()
            .asList().defaultValues().withDescription("Layers whose MLP the layer-skip drafter skips.");
    public static final ConfigOption<Integer> ULS_SPEEDUP = key("vlflow.decoding.uls-speedup").intType()
            .defaultValue(1).withDescription("Unified Layer Skipping's nominal speedup (LOSSY above 1: generated "
                    + "tokens go through a fixed subset of layers); 1 keeps every layer.");

    private DecodingOptions() {
    }

    public static DecodingSpec read(ReadableConfig config) {
        DecodingSpec.Sampler sampler = config.getOptional(TEMPERATURE)
                .<DecodingSpec.Sampler>map(t -> new DecodingSpec.TopP(t, config.get(TOP_P), config.get(SEED)))
                .orElse(new DecodingSpec.Greedy());
        DecodingSpec.Speculation speculation = new DecodingSpec.Speculation(config.get(DRAFTER),
                config.get(DRAFT_LENGTH), config.get(TREE_WIDTH), config.get(MIN_NGRAM), config.get(SKIP_ATTENTION), config.get(SKIP_MLP),
                config.get(ULS_SPEEDUP));
        return new DecodingSpec(config.get(MAX_NEW_TOKENS), sampler, speculation);
    }
}

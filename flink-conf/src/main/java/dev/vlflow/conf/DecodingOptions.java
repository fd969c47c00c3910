package dev.vlflow.conf;

import static org.apache.flink.configuration.ConfigOptions.key;

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

    private DecodingOptions() {
    }

    public static DecodingSpec read(ReadableConfig config) {
        DecodingSpec.Sampler sampler = config.getOptional(TEMPERATURE)
                .<DecodingSpec.Sampler>map(t -> new DecodingSpec.TopP(t, config.get(TOP_P), config.get(SEED)))
                .orElse(new DecodingSpec.Greedy());
        return new DecodingSpec(config.get(MAX_NEW_TOKENS), sampler);
    }
}

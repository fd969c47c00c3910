package dev.vlflow.conf;

import static org.apache.flink.configuration.ConfigOptions.key;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ReadableConfig;

/** The per-stream KV cache in keyed state: {@code vlflow.kv.*}. */
public final class KvOptions {

    public static final ConfigOption<Integer> PAGE_TOKENS = key("vlflow.kv.page-tokens").intType().defaultValue(64)
            .withDescription("Tokens per layer in one state page (one MapState value).");
    public static final ConfigOption<Integer> BUDGET_TOKENS = key("vlflow.kv.budget-tokens").intType()
            .noDefaultValue().withDescription("Most tokens per layer a stream keeps; unset: no limit. Over it, "
                    + "tokens are evicted (sinks and the recent window stay, the rest by importance).");
    public static final ConfigOption<Integer> SINK_TOKENS = key("vlflow.kv.sink-tokens").intType().defaultValue(32)
            .withDescription("First tokens of a stream that are never evicted (attention sinks; the prompt header).");
    public static final ConfigOption<Integer> RECENT_TOKENS = key("vlflow.kv.recent-tokens").intType()
            .defaultValue(256).withDescription("Most recent tokens that are never evicted.");
    public static final ConfigOption<Integer> PROBE_TOKENS = key("vlflow.kv.probe-tokens").intType()
            .defaultValue(16).withDescription("Recent tokens whose keys score the importance of older tokens.");

    public static final ConfigOption<String> PRECISION = key("vlflow.kv.precision").stringType()
            .defaultValue(KvSpec.FP32).withDescription("Precision of a stream's KV cache, also in keyed state: fp32, "
                    + "16, 8, 4, 2, mixed (= mixed:4/2) or mixed:H/L (important tokens at H bits, others at L).");
    public static final ConfigOption<Integer> GROUP_SIZE = key("vlflow.kv.group-size").intType().defaultValue(32)
            .withDescription("Quantization group of a quantized cache: tokens per key group, channels per value group; "
                    + "page-tokens must be a multiple of it.");
    public static final ConfigOption<Integer> FP_WINDOW = key("vlflow.kv.fp-window").intType().defaultValue(128)
            .withDescription("Most recent tokens a quantized cache keeps in fp32.");

    private KvOptions() {
    }

    public static KvSpec read(ReadableConfig config) {
        KvBudget budget = config.getOptional(BUDGET_TOKENS)
                .<KvBudget>map(b -> new KvBudget.Bounded(b, config.get(SINK_TOKENS), config.get(RECENT_TOKENS),
                        config.get(PROBE_TOKENS)))
                .orElse(new KvBudget.Unbounded());
        return new KvSpec(config.get(PAGE_TOKENS), budget, config.get(PRECISION), config.get(GROUP_SIZE),
                config.get(FP_WINDOW));
    }
}

package dev.vlflow.conf;

import static org.apache.flink.configuration.ConfigOptions.key;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ReadableConfig;

/** Which model the job runs and how: {@code vlflow.model.*}. */
public final class ModelOptions {

    public static final ConfigOption<String> PATH = key("vlflow.model.path").stringType().noDefaultValue()
            .withDescription("Hugging Face checkpoint directory of the model (LLaVA-OneVision layout).");
    public static final ConfigOption<String> PROVIDER = key("vlflow.model.provider").stringType().defaultValue("cpu")
            .withDescription("ONNX Runtime execution provider for the dense parts: cpu or cuda.");
    public static final ConfigOption<Integer> PREFILL_CHUNK = key("vlflow.model.prefill-chunk").intType()
            .defaultValue(512).withDescription("Most tokens prefilled per forward pass.");
    public static final ConfigOption<Integer> VISION_BATCH = key("vlflow.model.vision-batch").intType()
            .defaultValue(8).withDescription("Most frames per vision-tower call.");
    public static final ConfigOption<String> SYSTEM_PROMPT = key("vlflow.model.system-prompt").stringType()
            .defaultValue("").withDescription("System message before each user turn; empty: the chat template's "
                    + "default.");
    public static final ConfigOption<String> ZIPVL = key("vlflow.model.zipvl").stringType().defaultValue("off")
            .withDescription("ZipVL sparse prefill with importance-driven KV bits: off, on (tau 0.975, 64 + 64 "
                    + "probes, layer 0 dense) or on:TAU. The bits are the KV cache's precision (mixed:4/2).");
    public static final ConfigOption<Boolean> ZIPVL_DEMOTE = key("vlflow.model.zipvl-demote").booleanType()
            .defaultValue(false).withDescription("With ZipVL: a question demotes the cached video tokens it finds "
                    + "unimportant to the low precision (on its fork of the stream's cache).");
    public static final ConfigOption<Integer> ZIPVL_DROP = key("vlflow.model.zipvl-drop").intType().defaultValue(0)
            .withDescription("Progressive token dropping with ZipVL (lossy, ALGORITHMS.md §1.10): a video token found "
                    + "unimportant in this many consecutive layers leaves the residual stream for the later layers "
                    + "(from layer 2, at most 90% of a layer's video tokens). 0 = off.");

    public static final ConfigOption<String> WEIGHTS = key("vlflow.model.weights").stringType().defaultValue("fp32")
            .withDescription("Precision of the decoder's linear layers and LM head: fp32, int8 or int4 (quantized "
                    + "at load from the checkpoint; int8/int4 in blocks along K, ONNX Runtime MatMulNBits).");

    private ModelOptions() {
    }

    /** The model settings of a configuration; fails when {@link #PATH} is not set. */
    public static ModelSpec read(ReadableConfig config) {
        String path = config.getOptional(PATH).orElseThrow(() -> new IllegalArgumentException(
                "no model: set " + PATH.key() + " (e.g. --conf " + PATH.key() + "=DIR)"));
        return new ModelSpec(path, config.get(PROVIDER), config.get(PREFILL_CHUNK), config.get(VISION_BATCH),
                config.get(SYSTEM_PROMPT), ZipVlSpec.parse(config.get(ZIPVL)).withDemotion(config.get(ZIPVL_DEMOTE))
                        .withDropAfter(config.get(ZIPVL_DROP)),
                config.get(WEIGHTS));
    }
}

package dev.vlflow.conf;

import java.io.Serializable;
import java.util.Objects;
import org.apache.flink.configuration.ReadableConfig;

/**
 * Everything the streaming job's operators are configured with, read once from Flink configuration and passed
 * down as records.
 */
public record JobSpec(ModelSpec model, VideoSpec video, KvSpec kv, DecodingSpec decoding, StateSpec state,
                      ServingSpec serving, InputSpec input)
        implements Serializable {
    public JobSpec {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(video, "video");
        Objects.requireNonNull(kv, "kv");
        Objects.requireNonNull(decoding, "decoding");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(serving, "serving");
        Objects.requireNonNull(input, "input");
        if (decoding.maxNewTokens() > input.maxAnswerTokens()) {
            throw new IllegalArgumentException("vlflow.decoding.max-new-tokens (" + decoding.maxNewTokens()
                    + ") is over vlflow.input.max-answer-tokens (" + input.maxAnswerTokens() + ")");
        }
    }

    /** The same job reading its inputs under other limits. */
    public JobSpec withInput(InputSpec other) {
        return new JobSpec(model, video, kv, decoding, state, serving, other);
    }

    public static JobSpec read(ReadableConfig config) {
        return new JobSpec(ModelOptions.read(config), VideoOptions.read(config), KvOptions.read(config),
                DecodingOptions.read(config), StateOptions.read(config), ServingOptions.read(config),
                InputOptions.read(config));
    }
}

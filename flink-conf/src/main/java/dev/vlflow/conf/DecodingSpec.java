package dev.vlflow.conf;

import java.io.Serializable;
import java.util.Objects;

/**
 * Default limits and sampling of answers (see {@link DecodingOptions}).
 *
 * @param maxNewTokens most generated tokens
 * @param sampler      greedy or seeded nucleus sampling
 */
public record DecodingSpec(int maxNewTokens, Sampler sampler) implements Serializable {
    public DecodingSpec {
        Objects.requireNonNull(sampler, "sampler");
        if (maxNewTokens <= 0) {
            throw new IllegalArgumentException("max new tokens must be positive, got " + maxNewTokens);
        }
    }

    public static DecodingSpec greedy(int maxNewTokens) {
        return new DecodingSpec(maxNewTokens, new Greedy());
    }

    /** How the next token is chosen. */
    public sealed interface Sampler extends Serializable permits Greedy, TopP {
    }

    /** The most likely token. */
    public record Greedy() implements Sampler {
    }

    /** Seeded nucleus sampling. */
    public record TopP(double temperature, double topP, long seed) implements Sampler {
        public TopP {
            if (!(temperature > 0) || !(topP > 0 && topP <= 1)) {
                throw new IllegalArgumentException("need temperature > 0 and top-p in (0, 1]");
            }
        }
    }
}

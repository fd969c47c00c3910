package dev.vlflow.conf;

import java.io.Serializable;
import java.util.Objects;

/**
 * The per-stream KV cache in keyed state (see {@link KvOptions}).
 *
 * @param pageTokens tokens per layer in one state page
 * @param budget     how many tokens a stream keeps
 */
public record KvSpec(int pageTokens, KvBudget budget) implements Serializable {
    public KvSpec {
        Objects.requireNonNull(budget, "budget");
        if (pageTokens <= 0) {
            throw new IllegalArgumentException("page tokens must be positive, got " + pageTokens);
        }
    }

    public static KvSpec unbounded(int pageTokens) {
        return new KvSpec(pageTokens, new KvBudget.Unbounded());
    }
}

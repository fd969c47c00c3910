package dev.vlflow.conf;

import java.io.Serializable;

/** How many tokens a stream's cache may keep per layer, and what goes when it is full. */
public sealed interface KvBudget extends Serializable permits KvBudget.Unbounded, KvBudget.Bounded {

    /** Keep every token. */
    record Unbounded() implements KvBudget {
    }

    /**
     * Keep at most {@code tokens} per layer: the first {@code sinkTokens}, the last {@code recentTokens}, and the
     * most important of the rest (scored against the keys of the last {@code probeTokens} tokens).
     */
    record Bounded(int tokens, int sinkTokens, int recentTokens, int probeTokens) implements KvBudget {
        public Bounded {
            if (sinkTokens < 0 || recentTokens < 1 || probeTokens < 1) {
                throw new IllegalArgumentException("need sink >= 0, recent >= 1 and probe >= 1 tokens");
            }
            if (tokens < sinkTokens + recentTokens) {
                throw new IllegalArgumentException("a budget of " + tokens + " tokens cannot hold " + sinkTokens
                        + " sink and " + recentTokens + " recent tokens");
            }
        }
    }
}

package dev.vlflow.engine;

/** How the next token is chosen from the logits. */
public sealed interface Sampling permits Sampling.Greedy, Sampling.TopP {

    /** Always the most likely token (ties: the lowest id). */
    record Greedy() implements Sampling {
    }

    /**
     * Nucleus sampling: softmax at {@code temperature}, keep the smallest set of most likely tokens whose mass reaches
     * {@code topP}, draw from it with a generator seeded by {@code seed} (same seed, same text).
     */
    record TopP(double temperature, double topP, long seed) implements Sampling {
        public TopP {
            if (!(temperature > 0)) {
                throw new IllegalArgumentException("temperature must be > 0, got " + temperature);
            }
            if (!(topP > 0 && topP <= 1)) {
                throw new IllegalArgumentException("top_p must be in (0, 1], got " + topP);
            }
        }
    }

    static Sampling greedy() {
        return new Greedy();
    }
}

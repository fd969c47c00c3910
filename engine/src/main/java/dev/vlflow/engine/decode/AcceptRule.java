package dev.vlflow.engine.decode;

import dev.vlflow.engine.runtime.Sampler;

/**
 * The verification rule of ALGORITHMS.md §3.0 at one tree node: given the target's logits after the node and the
 * node's candidate children (in the order they are tried), accept one child or emit the target's own token.
 * Drafters here are deterministic, so the drafter distribution q is one-hot.
 */
sealed interface AcceptRule permits AcceptRule.Greedy, AcceptRule.Rejection {

    Choice choose(float[] logits, int[] candidates);

    /** What the rule decided at one node. */
    sealed interface Choice permits Accept, Emit {
    }

    /** @param index index of the accepted candidate */
    record Accept(int index) implements Choice {
    }

    /** @param token the target's token: a correction, or the bonus after a leaf */
    record Emit(int token) implements Choice {
    }

    static AcceptRule of(Sampler sampler) {
        return sampler.random() ? new Rejection(sampler) : new Greedy();
    }

    /** Greedy: accept the candidate equal to the target's argmax, else emit the argmax. */
    record Greedy() implements AcceptRule {
        @Override
        public Choice choose(float[] logits, int[] candidates) {
            int g = Sampler.argmax(logits);
            for (int i = 0; i < candidates.length; i++) {
                if (candidates[i] == g) {
                    return new Accept(i);
                }
            }
            return new Emit(g);
        }
    }

    /**
     * Sampling (Leviathan/Chen rule with one-hot q, siblings tried in order, SpecInfer): accept candidate x with
     * probability p(x); on rejection set p(x) = 0 and renormalize; with no candidate accepted, draw from what is left.
     */
    record Rejection(Sampler sampler) implements AcceptRule {
        @Override
        public Choice choose(float[] logits, int[] candidates) {
            double[] p = sampler.distribution(logits);
            double mass = 1;
            for (int i = 0; i < candidates.length; i++) {
                double px = p[candidates[i]] / mass;
                if (sampler.uniform() < px) {
                    return new Accept(i);
                }
                mass -= p[candidates[i]];
                p[candidates[i]] = 0;
            }
            return new Emit(sampler.sample(p));
        }
    }
}

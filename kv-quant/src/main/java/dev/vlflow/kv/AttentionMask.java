package dev.vlflow.kv;

import java.util.Arrays;

/**
 * Which cached keys each query of an {@link AttentionQuery} may see. Visibility is always decided from the
 * keys' stored original positions (or, for the tree, from slots appended for the candidates), never from
 * the order in which slots happen to be laid out.
 */
public sealed interface AttentionMask permits AttentionMask.Causal, AttentionMask.Tree, AttentionMask.Subset {

    /** Causal: query at position p sees every cached key whose original position is {@code <= p}. */
    record Causal() implements AttentionMask {
    }

    /**
     * Speculative tree verification. The last {@code ancestors.length} tokens of the layer are the candidate
     * tokens (one per query, query i = candidate i); every earlier token is a shared prefix visible to all
     * queries. Candidate i additionally sees candidate j iff {@code ancestors[i][j]} (a node sees itself).
     *
     * @param ancestors [queries][queries] visibility among candidates
     */
    record Tree(boolean[][] ancestors) implements AttentionMask {
        public Tree {
            for (int i = 0; i < ancestors.length; i++) {
                if (ancestors[i].length != ancestors.length) {
                    throw new IllegalArgumentException("tree mask must be square, row " + i + " has "
                            + ancestors[i].length + " of " + ancestors.length);
                }
                if (!ancestors[i][i]) {
                    throw new IllegalArgumentException("tree node " + i + " must see itself");
                }
            }
        }
    }

    /**
     * Sparse attention over an explicit subset of keys (ZipVL): only the listed original positions are
     * visible, and causality by position still applies.
     *
     * @param positions sorted original positions of the visible keys
     */
    record Subset(int[] positions) implements AttentionMask {
        public Subset {
            for (int i = 1; i < positions.length; i++) {
                if (positions[i] <= positions[i - 1]) {
                    throw new IllegalArgumentException("subset positions must be strictly increasing");
                }
            }
        }

        public boolean contains(int position) {
            return Arrays.binarySearch(positions, position) >= 0;
        }
    }
}

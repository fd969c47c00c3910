package dev.vlflow.engine.decode;

import dev.vlflow.kv.AttentionMask;
import java.util.Arrays;

/**
 * Candidates proposed for one step: a tree rooted at the pending token (the last emitted token, not yet in the
 * cache). The verification block is {@code [pending, tokens...]}: block index 0 is the root, candidate {@code i} is
 * block index {@code i + 1}. A chain has {@code parents[i] == i}.
 *
 * <pre>
 * block:    0        1        2        3        4
 *           pending  c0       c1       c2       c3      parents = [0, 1, 2, 1]: c3 is a sibling of c1
 * </pre>
 *
 * @param tokens  [candidates] proposed token ids
 * @param parents [candidates] block index of each candidate's parent, always smaller than its own block index;
 *                siblings have distinct tokens
 */
public record Draft(int[] tokens, int[] parents) {

    private static final Draft NONE = new Draft(new int[0], new int[0]);

    public Draft {
        if (tokens.length != parents.length) {
            throw new IllegalArgumentException(tokens.length + " tokens but " + parents.length + " parents");
        }
        tokens = tokens.clone();
        parents = parents.clone();
        for (int i = 0; i < tokens.length; i++) {
            if (parents[i] < 0 || parents[i] > i) {
                throw new IllegalArgumentException("candidate " + i + " has parent " + parents[i]
                        + ", expected a block index in 0.." + i);
            }
            for (int j = 0; j < i; j++) {
                if (parents[j] == parents[i] && tokens[j] == tokens[i]) {
                    throw new IllegalArgumentException("candidates " + j + " and " + i + " are equal siblings");
                }
            }
        }
    }

    /** Nothing proposed: a plain decode step. */
    public static Draft none() {
        return NONE;
    }

    /** A chain of candidates, each the child of the previous. */
    public static Draft chain(int[] tokens) {
        int[] parents = new int[tokens.length];
        for (int i = 0; i < parents.length; i++) {
            parents[i] = i;
        }
        return new Draft(tokens, parents);
    }

    public int size() {
        return tokens.length;
    }

    /** Tokens in the verification block: the root and every candidate. */
    public int blockSize() {
        return tokens.length + 1;
    }

    @Override
    public int[] tokens() {
        return tokens.clone();
    }

    @Override
    public int[] parents() {
        return parents.clone();
    }

    /** The token at a block index (0 = the root {@code pending}). */
    public int blockToken(int block, int pending) {
        return block == 0 ? pending : tokens[block - 1];
    }

    public boolean isChain() {
        for (int i = 0; i < parents.length; i++) {
            if (parents[i] != i) {
                return false;
            }
        }
        return true;
    }

    /** Depth of a block index: 0 for the root. */
    public int depth(int block) {
        int d = 0;
        for (int b = block; b != 0; b = parents[b - 1]) {
            d++;
        }
        return d;
    }

    /** Block indices of the children of {@code block}, in block order. */
    public int[] children(int block) {
        return java.util.stream.IntStream.range(0, tokens.length).filter(i -> parents[i] == block)
                .map(i -> i + 1).toArray();
    }

    /** RoPE position of every block token: {@code rootPosition + depth} (= context length + depth - 1). */
    public int[] positions(int rootPosition) {
        int[] out = new int[blockSize()];
        for (int b = 0; b < out.length; b++) {
            out[b] = rootPosition + depth(b);
        }
        return out;
    }

    /** The verification mask: causal for a chain, else each node sees the context and its own ancestors. */
    public AttentionMask mask() {
        if (isChain()) {
            return new AttentionMask.Causal();
        }
        int n = blockSize();
        boolean[][] sees = new boolean[n][n];
        for (int b = 0; b < n; b++) {
            for (int a = b; ; a = parents[a - 1]) {
                sees[b][a] = true;
                if (a == 0) {
                    break;
                }
            }
        }
        return new AttentionMask.Tree(sees);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Draft d && Arrays.equals(tokens, d.tokens) && Arrays.equals(parents, d.parents);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(tokens) + Arrays.hashCode(parents);
    }

    @Override
    public String toString() {
        return "Draft" + Arrays.toString(tokens) + " parents " + Arrays.toString(parents);
    }
}

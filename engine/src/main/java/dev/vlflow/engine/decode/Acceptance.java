package dev.vlflow.engine.decode;

import java.util.Arrays;

/**
 * What one generation step decided.
 *
 * @param proposed candidates the drafter proposed (all nodes of a tree)
 * @param path     [accepted] block indices of the accepted candidates, root excluded, in order
 * @param accepted [accepted] the accepted candidates' tokens
 * @param next     the target's own token after them: the correction of a rejected candidate, or the bonus token
 */
public record Acceptance(int proposed, int[] path, int[] accepted, int next) {

    public Acceptance {
        if (path.length != accepted.length) {
            throw new IllegalArgumentException("path of " + path.length + " for " + accepted.length + " tokens");
        }
        if (accepted.length > proposed) {
            throw new IllegalArgumentException(accepted.length + " accepted of " + proposed + " proposed");
        }
        path = path.clone();
        accepted = accepted.clone();
    }

    /** The first token of an answer, chosen from the prefill's logits. */
    static Acceptance first(int token) {
        return new Acceptance(0, new int[0], new int[0], token);
    }

    public int acceptedCount() {
        return accepted.length;
    }

    @Override
    public int[] path() {
        return path.clone();
    }

    @Override
    public int[] accepted() {
        return accepted.clone();
    }

    /** Accepted candidates then the target's token: what this step emits (before stop rules). */
    public int[] emitted() {
        int[] out = Arrays.copyOf(accepted, accepted.length + 1);
        out[accepted.length] = next;
        return out;
    }

    /** Whether the accepted candidates are block indices 1..a, so truncating the cache keeps exactly them. */
    public boolean contiguous() {
        for (int i = 0; i < path.length; i++) {
            if (path[i] != i + 1) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Acceptance a && proposed == a.proposed && next == a.next && Arrays.equals(path, a.path)
                && Arrays.equals(accepted, a.accepted);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * proposed + next) + Arrays.hashCode(accepted);
    }

    @Override
    public String toString() {
        return "Acceptance[proposed=" + proposed + ", accepted=" + Arrays.toString(accepted) + ", next=" + next + "]";
    }
}

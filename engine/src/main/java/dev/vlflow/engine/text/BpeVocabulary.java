package dev.vlflow.engine.text;

import java.util.List;

/**
 * A learned byte-level BPE model.
 *
 * @param tokens tokens by id: the 256 byte symbols first (in byte order), then each merge result once
 * @param merges merge rules in priority order, each a pair {left, right} of existing tokens
 */
public record BpeVocabulary(List<String> tokens, List<Merge> merges) {

    /** One merge rule: {@code left + right -> left right}. */
    public record Merge(String left, String right) {
        public String merged() {
            return left + right;
        }
    }

    public BpeVocabulary {
        tokens = List.copyOf(tokens);
        merges = List.copyOf(merges);
    }

    public int size() {
        return tokens.size();
    }
}

package dev.vlflow.connectors.source;

import java.util.List;
import java.util.Set;

/**
 * What the enumerator checkpoints: every file it has discovered (so a restored job does not read a file twice) and
 * the splits not yet handed to a reader, in order.
 */
public record DirectoryEnumeratorState(Set<String> discovered, List<JsonlFileSplit> pending) {
    public DirectoryEnumeratorState {
        discovered = Set.copyOf(discovered);
        pending = List.copyOf(pending);
    }

    public static DirectoryEnumeratorState empty() {
        return new DirectoryEnumeratorState(Set.of(), List.of());
    }
}

package dev.vlflow.connectors.source;

import java.util.Objects;
import org.apache.flink.api.connector.source.SourceSplit;

/**
 * One JSONL file to read, from a byte offset on (immutable; the reader's progress goes into a new split when it
 * snapshots).
 *
 * @param path       the file
 * @param offset     byte offset of the next line to read
 * @param linesRead  lines before {@code offset} (so line numbers stay right after a restore)
 */
public record JsonlFileSplit(String path, long offset, long linesRead) implements SourceSplit {
    public JsonlFileSplit {
        Objects.requireNonNull(path, "path");
        if (offset < 0 || linesRead < 0) {
            throw new IllegalArgumentException("offset and linesRead must be >= 0");
        }
    }

    /** A split of a whole file. */
    public static JsonlFileSplit of(String path) {
        return new JsonlFileSplit(path, 0, 0);
    }

    @Override
    public String splitId() {
        return path;
    }
}

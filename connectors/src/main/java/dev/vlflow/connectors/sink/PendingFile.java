package dev.vlflow.connectors.sink;

import java.util.Objects;

/**
 * The committable of a {@link JsonlFileSink}: a finished part file under its hidden in-progress name, and the name
 * it gets when its checkpoint completes.
 */
public record PendingFile(String inProgressPath, String finalPath) {
    public PendingFile {
        Objects.requireNonNull(inProgressPath, "inProgressPath");
        Objects.requireNonNull(finalPath, "finalPath");
    }
}

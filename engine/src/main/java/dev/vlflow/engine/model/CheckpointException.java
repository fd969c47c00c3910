package dev.vlflow.engine.model;

/** A checkpoint directory is missing, malformed or inconsistent with its config; the message says what and where. */
public class CheckpointException extends RuntimeException {
    public CheckpointException(String message) {
        super(message);
    }

    public CheckpointException(String message, Throwable cause) {
        super(message, cause);
    }
}

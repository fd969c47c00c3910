package dev.vlflow.engine;

/**
 * Appending frames or asking a question would take a session past the positions it may use: the model's
 * {@code max_position_embeddings}, or a smaller limit of the caller's. Thrown before anything is prefilled, so the
 * session is unchanged and can still be asked about what it holds.
 */
public final class ContextFullException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ContextFullException(String message) {
        super(message);
    }
}

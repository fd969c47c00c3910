package dev.vlflow.connectors.videomme;

/** An annotation or subtitle file that cannot be read; the message names the file and the offending entry. */
public final class AnnotationException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public AnnotationException(String message) {
        super(message);
    }

    public AnnotationException(String message, Throwable cause) {
        super(message, cause);
    }
}

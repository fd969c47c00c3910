package dev.vlflow.connectors.events;

/** An input record that is not a valid event; the job sends it to the dead-letter output and goes on. */
public final class MalformedEventException extends Exception {

    private static final long serialVersionUID = 1L;

    public MalformedEventException(String reason) {
        super(reason);
    }

    public MalformedEventException(String reason, Throwable cause) {
        super(reason, cause);
    }
}

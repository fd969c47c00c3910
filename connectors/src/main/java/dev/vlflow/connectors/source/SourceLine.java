package dev.vlflow.connectors.source;

/**
 * One line read by a {@link JsonlSource}, with where it came from (for relative video paths and dead letters).
 *
 * @param file the JSONL file's path
 * @param line 1-based line number
 * @param text the line without its line terminator
 */
public record SourceLine(String file, long line, String text) {

    /** {@code file:line}, how dead letters refer to the input. */
    public String reference() {
        return file + ":" + line;
    }
}

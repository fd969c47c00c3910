package dev.vlflow.connectors.source;

/**
 * One line read by a {@link JsonlSource}, with where it came from (for relative video paths and dead letters).
 *
 * @param file           the JSONL file's path
 * @param line           1-based line number
 * @param text           the line without its line terminator; empty for a line over the reader's limit
 * @param overLimitBytes 0 for a line read whole; else the line's length in bytes, which was over the source's
 *                       {@link JsonlSource#withMaxLineBytes limit}: nothing of it was kept
 */
public record SourceLine(String file, long line, String text, long overLimitBytes) {

    /** A line read whole. */
    public SourceLine(String file, long line, String text) {
        this(file, line, text, 0);
    }

    /** Whether the line was over the limit (and its text dropped). */
    public boolean overLimit() {
        return overLimitBytes > 0;
    }

    /** {@code file:line}, how dead letters refer to the input. */
    public String reference() {
        return file + ":" + line;
    }
}

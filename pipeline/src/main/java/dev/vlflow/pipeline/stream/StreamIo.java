package dev.vlflow.pipeline.stream;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * JSONL files in and out of the streaming job.
 *
 * @param input   a JSONL file, or a directory of them (read in name order)
 * @param follow  watch the directory for new files at this interval (the job then runs until cancelled)
 * @param output  directory receiving {@code answers/} (tokens and answers) and {@code dead-letters/}
 * @param console also print answers as they stream (stdout) and dead letters (stderr)
 */
public record StreamIo(Path input, Optional<Duration> follow, Path output, boolean console) implements JobIo {
    public StreamIo {
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(follow, "follow");
        Objects.requireNonNull(output, "output");
    }

    public Path answers() {
        return output.resolve("answers");
    }

    public Path deadLetters() {
        return output.resolve("dead-letters");
    }
}

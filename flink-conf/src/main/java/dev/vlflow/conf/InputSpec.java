package dev.vlflow.conf;

import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The job's input limits (see {@link InputOptions}), read once at the edge.
 *
 * @param fileRoots           directories videos may be read from (empty: no local file)
 * @param urlSchemes          URL schemes allowed for {@code urlHosts}
 * @param urlHosts            hosts video URLs may name (empty: no network)
 * @param maxFrameWidth       widest frame, pixels
 * @param maxFrameHeight      tallest frame, pixels
 * @param maxDuration         longest video
 * @param maxInlineBytes      largest inline video
 * @param maxRecordBytes      longest input record (JSONL line), bytes
 * @param ioTimeout           a network read stalling this long fails
 * @param maxAnswerTokens     most tokens a question may ask for
 * @param maxPendingQuestions questions one stream may have waiting
 * @param maxStreamTokens     most token positions one stream may use
 */
public record InputSpec(List<String> fileRoots, List<String> urlSchemes, List<String> urlHosts, int maxFrameWidth,
                        int maxFrameHeight, Duration maxDuration, long maxInlineBytes, long maxRecordBytes,
                        Duration ioTimeout, int maxAnswerTokens, int maxPendingQuestions, int maxStreamTokens)
        implements Serializable {
    public InputSpec {
        fileRoots = List.copyOf(fileRoots);
        urlSchemes = List.copyOf(urlSchemes);
        urlHosts = List.copyOf(urlHosts);
        Objects.requireNonNull(maxDuration, "maxDuration");
        Objects.requireNonNull(ioTimeout, "ioTimeout");
        if (maxFrameWidth < 1 || maxFrameHeight < 1 || maxInlineBytes < 1 || maxRecordBytes < 1
                || maxAnswerTokens < 1 || maxPendingQuestions < 0 || maxStreamTokens < 1) {
            throw new IllegalArgumentException("input limits must be positive (pending questions >= 0): " + this);
        }
        if (maxDuration.isNegative() || maxDuration.isZero() || ioTimeout.isNegative() || ioTimeout.isZero()) {
            throw new IllegalArgumentException("max duration and I/O timeout must be positive: " + maxDuration
                    + ", " + ioTimeout);
        }
        if (maxRecordBytes > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("max record bytes must fit an array: " + maxRecordBytes);
        }
    }

    /** The defaults of {@link InputOptions}: no file roots, no hosts. */
    public static InputSpec defaults() {
        return InputOptions.read(new org.apache.flink.configuration.Configuration());
    }

    public InputSpec withFileRoots(List<String> roots) {
        return new InputSpec(roots, urlSchemes, urlHosts, maxFrameWidth, maxFrameHeight, maxDuration, maxInlineBytes,
                maxRecordBytes, ioTimeout, maxAnswerTokens, maxPendingQuestions, maxStreamTokens);
    }

    public InputSpec withUrlHosts(List<String> hosts) {
        return new InputSpec(fileRoots, urlSchemes, hosts, maxFrameWidth, maxFrameHeight, maxDuration, maxInlineBytes,
                maxRecordBytes, ioTimeout, maxAnswerTokens, maxPendingQuestions, maxStreamTokens);
    }
}

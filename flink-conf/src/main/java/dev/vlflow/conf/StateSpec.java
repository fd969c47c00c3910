package dev.vlflow.conf;

import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;

/**
 * Keyed state of the video sessions (see {@link StateOptions}).
 *
 * @param idleTtl      a stream idle this long is dropped
 * @param liveSessions sessions kept decoded in memory per operator
 * @param segmentMarks recent segments whose cache extent a stream remembers
 */
public record StateSpec(Duration idleTtl, int liveSessions, int segmentMarks) implements Serializable {
    public StateSpec {
        Objects.requireNonNull(idleTtl, "idleTtl");
        if (idleTtl.isNegative() || idleTtl.isZero() || liveSessions <= 0 || segmentMarks <= 0) {
            throw new IllegalArgumentException("idle TTL, live sessions and segment marks must be positive");
        }
    }

    public static StateSpec defaults() {
        return new StateSpec(Duration.ofHours(1), 8, 64);
    }
}

package dev.vlflow.conf;

import java.io.Serializable;

/**
 * Frame sampling of segments (see {@link VideoOptions}).
 *
 * @param framesPerSegment default frames sampled uniformly over a segment's time range
 * @param maxFramesPerSegment most frames a segment may ask for
 */
public record VideoSpec(int framesPerSegment, int maxFramesPerSegment) implements Serializable {
    public VideoSpec {
        if (framesPerSegment <= 0 || maxFramesPerSegment < framesPerSegment) {
            throw new IllegalArgumentException("need 0 < frames per segment <= max, got " + framesPerSegment
                    + " and " + maxFramesPerSegment);
        }
    }

    public static VideoSpec defaults() {
        return new VideoSpec(4, 64);
    }

    /** Frames to sample for a segment that asks for {@code requested} (or the default when absent). */
    public int frames(Integer requested) {
        if (requested == null) {
            return framesPerSegment;
        }
        if (requested <= 0 || requested > maxFramesPerSegment) {
            throw new IllegalArgumentException("a segment may ask for 1.." + maxFramesPerSegment + " frames, not "
                    + requested);
        }
        return requested;
    }
}

package dev.vlflow.operators.frames;

import java.util.Arrays;
import java.util.Objects;

/**
 * Sampled, preprocessed frames of one segment, on their way to the vision encoder. A segment whose video could
 * not be read travels with zero frames (its reason went to the dead letters), so the session still sees that the
 * segment is done.
 *
 * @param streamId          the stream
 * @param sequence          the segment's sequence number
 * @param frames            number of frames (0 when the segment failed)
 * @param size              frame side in pixels (square frames)
 * @param pixels            [frames, 3, size, size] normalized as the model's processor says
 * @param timestampsMicros  [frames] presentation time of each frame in the video
 */
public record SegmentFrames(String streamId, long sequence, int frames, int size, float[] pixels,
                            long[] timestampsMicros) {
    public SegmentFrames {
        Objects.requireNonNull(streamId, "streamId");
        if (frames < 0 || size <= 0 || pixels.length != (long) frames * 3 * size * size
                || timestampsMicros.length != frames) {
            throw new IllegalArgumentException("segment frames of shape [" + frames + ",3," + size + "," + size
                    + "] with " + pixels.length + " floats and " + timestampsMicros.length + " timestamps");
        }
    }

    /** A segment that contributes no frames. */
    public static SegmentFrames empty(String streamId, long sequence, int size) {
        return new SegmentFrames(streamId, sequence, 0, size, new float[0], new long[0]);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SegmentFrames f && f.streamId.equals(streamId) && f.sequence == sequence
                && f.frames == frames && f.size == size && Arrays.equals(f.pixels, pixels)
                && Arrays.equals(f.timestampsMicros, timestampsMicros);
    }

    @Override
    public int hashCode() {
        return Objects.hash(streamId, sequence, frames, size, Arrays.hashCode(pixels));
    }

    @Override
    public String toString() {
        return "SegmentFrames[" + streamId + "#" + sequence + ", " + frames + "x3x" + size + "x" + size + "]";
    }
}

package dev.vlflow.vision;

import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * Sampled and preprocessed frames of one video, ready for a vision tower.
 *
 * @param pixels             {@code [frames, 3, height, width]} floats, RGB planes, normalized as the processor
 *                           config says; a read-only view (hand it to ONNX Runtime as a tensor of that shape)
 * @param frames             number of frames
 * @param height             rows per frame
 * @param width              columns per frame
 * @param timestampsMicros   {@code [frames]} presentation time of each frame, microseconds from the stream start
 * @param sourceFrameIndices {@code [frames]} index of each frame in the video (presentation order, from 0)
 * @param dedup              what near-duplicate removal dropped
 * @param video              the stream the frames came from
 */
public record Frames(FloatBuffer pixels, int frames, int height, int width, long[] timestampsMicros,
                     long[] sourceFrameIndices, DedupStats dedup, VideoInfo video) {

    public Frames {
        Objects.requireNonNull(pixels, "pixels");
        Objects.requireNonNull(dedup, "dedup");
        Objects.requireNonNull(video, "video");
        if (frames < 0 || height <= 0 || width <= 0) {
            throw new IllegalArgumentException("bad shape " + frames + "x3x" + height + "x" + width);
        }
        if (pixels.remaining() != (long) frames * 3 * height * width) {
            throw new IllegalArgumentException("pixels hold " + pixels.remaining() + " floats, not " + frames + "x3x"
                    + height + "x" + width);
        }
        if (timestampsMicros.length != frames || sourceFrameIndices.length != frames) {
            throw new IllegalArgumentException("one timestamp and one source index per frame");
        }
        pixels = pixels.asReadOnlyBuffer();
        timestampsMicros = timestampsMicros.clone();
        sourceFrameIndices = sourceFrameIndices.clone();
    }

    /** Tensor shape of {@link #pixels()}: {@code [frames, 3, height, width]}. */
    public long[] shape() {
        return new long[] {frames, 3, height, width};
    }

    /** Frame {@code i} as a read-only {@code [3, height, width]} view. */
    public FloatBuffer frame(int i) {
        Objects.checkIndex(i, frames);
        int size = 3 * height * width;
        return pixels.duplicate().position(i * size).limit((i + 1) * size).slice();
    }

    /** A copy of all pixels, {@code [frames, 3, height, width]}. */
    public float[] toArray() {
        float[] out = new float[pixels.remaining()];
        pixels.duplicate().get(out);
        return out;
    }

    @Override
    public long[] timestampsMicros() {
        return timestampsMicros.clone();
    }

    @Override
    public long[] sourceFrameIndices() {
        return sourceFrameIndices.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Frames f && f.frames == frames && f.height == height && f.width == width
                && f.pixels.equals(pixels) && Arrays.equals(f.timestampsMicros, timestampsMicros)
                && Arrays.equals(f.sourceFrameIndices, sourceFrameIndices) && f.dedup.equals(dedup)
                && f.video.equals(video);
    }

    @Override
    public int hashCode() {
        return Objects.hash(frames, height, width, Arrays.hashCode(timestampsMicros),
                Arrays.hashCode(sourceFrameIndices), dedup, video);
    }

    @Override
    public String toString() {
        return "Frames[" + frames + "x3x" + height + "x" + width + ", t(us)=" + Arrays.toString(timestampsMicros)
                + ", sourceFrames=" + Arrays.toString(sourceFrameIndices) + ", " + dedup + ", " + video + "]";
    }
}

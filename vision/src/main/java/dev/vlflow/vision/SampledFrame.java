package dev.vlflow.vision;

import java.nio.FloatBuffer;
import java.util.Objects;

/**
 * One sampled, preprocessed frame, as a stream delivers it.
 *
 * @param pixels          {@code [3, height, width]} floats, RGB planes, normalized as the processor config says;
 *                        a read-only view
 * @param height          rows
 * @param width           columns
 * @param timestampMicros presentation time in microseconds from the start of the stream
 * @param sourceFrameIndex index of the frame in the video (presentation order, from 0)
 */
public record SampledFrame(FloatBuffer pixels, int height, int width, long timestampMicros, long sourceFrameIndex) {

    public SampledFrame {
        Objects.requireNonNull(pixels, "pixels");
        if (pixels.remaining() != 3L * height * width) {
            throw new IllegalArgumentException("pixels hold " + pixels.remaining() + " floats, not 3x" + height + "x"
                    + width);
        }
        pixels = pixels.asReadOnlyBuffer();
    }

    /** A copy of the pixels, {@code [3, height, width]}. */
    public float[] toArray() {
        float[] out = new float[pixels.remaining()];
        pixels.duplicate().get(out);
        return out;
    }
}

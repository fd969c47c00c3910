package dev.vlflow.vision;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.FloatBuffer;
import java.nio.ReadOnlyBufferException;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The output records: shapes, views, and that nothing handed out can change them. */
class FramesTest {

    private static final VideoInfo INFO = new VideoInfo("mp4", "h264", 4, 2, OptionalDouble.of(25),
            OptionalLong.of(10), Optional.of(Duration.ofMillis(400)));

    private static Frames twoFrames() {
        float[] pixels = new float[2 * 3 * 2 * 4];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = i;
        }
        return new Frames(FloatBuffer.wrap(pixels), 2, 2, 4, new long[] {0, 40_000}, new long[] {0, 1},
                new DedupStats(Dedup.off(), 2, new long[0]), INFO);
    }

    @Test
    void framesAreViewsOfOneTensor() {
        Frames frames = twoFrames();
        assertArrayEquals(new long[] {2, 3, 2, 4}, frames.shape());
        FloatBuffer second = frames.frame(1);
        assertEquals(24, second.remaining());
        assertEquals(24f, second.get(0));
        assertEquals(47f, second.get(23));
        assertEquals(48, frames.toArray().length);
        assertThrows(IndexOutOfBoundsException.class, () -> frames.frame(2));
    }

    @Test
    void nothingHandedOutCanChangeTheRecord() {
        Frames frames = twoFrames();
        assertThrows(ReadOnlyBufferException.class, () -> frames.pixels().put(0, 1f));
        assertThrows(ReadOnlyBufferException.class, () -> frames.frame(0).put(0, 1f));
        frames.timestampsMicros()[1] = 99;
        frames.sourceFrameIndices()[1] = 99;
        frames.toArray()[0] = 99;
        assertEquals(40_000, frames.timestampsMicros()[1]);
        assertEquals(1, frames.sourceFrameIndices()[1]);
        assertEquals(0f, frames.pixels().get(0));
        assertTrue(frames.equals(twoFrames()));
    }

    @Test
    void shapesAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> new Frames(FloatBuffer.allocate(47), 2, 2, 4,
                new long[2], new long[2], new DedupStats(Dedup.off(), 2, new long[0]), INFO));
        assertThrows(IllegalArgumentException.class, () -> new Frames(FloatBuffer.allocate(48), 2, 2, 4,
                new long[1], new long[2], new DedupStats(Dedup.off(), 2, new long[0]), INFO));
        assertThrows(IllegalArgumentException.class, () -> new SampledFrame(FloatBuffer.allocate(5), 1, 2, 0, 0));
    }
}

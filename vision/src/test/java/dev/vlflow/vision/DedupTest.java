package dev.vlflow.vision;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.vlflow.vision.sampling.DuplicateFilter;
import dev.vlflow.vision.synthetic.Rgb;
import dev.vlflow.vision.synthetic.Shape;
import dev.vlflow.vision.synthetic.VideoSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Near-duplicate removal in static scenes, and how it is reported. */
class DedupTest {

    @TempDir
    static Path dir;
    static Path file;

    /**
     * 160×120 at 10 fps for 4 s: grey (frames 0–9), a still red 80×80 square (10–19), grey (20–29), a red 50×80
     * rectangle moving 10 px per frame (30–39: each frame changes 2·10·80 pixels, 8% of the picture).
     */
    @BeforeAll
    static void writeVideo() {
        Shape still = new Shape(Shape.Form.RECTANGLE, Rgb.RED, 80, 80, 40, 20, 0, 0, Duration.ofSeconds(1),
                Duration.ofSeconds(2));
        Shape moving = new Shape(Shape.Form.RECTANGLE, Rgb.RED, 50, 80, 0, 20, 100, 0, Duration.ofSeconds(3),
                Duration.ofSeconds(10));
        VideoSpec spec = VideoSpec.of(160, 120, 10, Duration.ofSeconds(4)).withShapes(still, moving);
        file = TestVideos.write(spec, dir, "scenes");
    }

    @Test
    void dropsFramesOfStaticScenesAndReportsThem() throws VideoException {
        Frames frames = VideoSampler.sample(VideoSource.file(file),
                new SamplingPolicy.Fps(10, 100).withDedup(Dedup.similarity()), TestVideos.UNIT, VideoLimits.defaults());
        long[] kept = LongStream.concat(LongStream.of(0, 10, 20), LongStream.rangeClosed(30, 39)).toArray();
        long[] dropped = LongStream.concat(LongStream.concat(LongStream.rangeClosed(1, 9),
                LongStream.rangeClosed(11, 19)), LongStream.rangeClosed(21, 29)).toArray();
        assertArrayEquals(kept, frames.sourceFrameIndices());
        assertEquals(kept.length, frames.frames());
        assertEquals(new DedupStats(Dedup.similarity(0.95), 40, dropped), frames.dedup());
        assertEquals(27, frames.dedup().dropped());
        assertEquals(13, frames.dedup().kept());
        assertEquals(kept.length * 3L * 120 * 160, frames.pixels().remaining());
    }

    @Test
    void aStricterThresholdKeepsSmallChangesThatTheDefaultDrops() throws VideoException {
        // At 0.8, moving 10 px per frame (92% of pixels unchanged) counts as a duplicate; only scene changes stay.
        Frames loose = VideoSampler.sample(VideoSource.file(file),
                new SamplingPolicy.Fps(10, 100).withDedup(Dedup.similarity(0.8)), TestVideos.UNIT,
                VideoLimits.defaults());
        assertEquals(0, loose.sourceFrameIndices()[0]);
        assertEquals(10, loose.sourceFrameIndices()[1]);
        assertEquals(20, loose.sourceFrameIndices()[2]);
        assertEquals(30, loose.sourceFrameIndices()[3]);
        assertEquals(true, loose.frames() < 13, "kept " + loose.frames());
    }

    @Test
    void withoutDedupNothingIsDropped() throws VideoException {
        Frames frames = VideoSampler.sample(VideoSource.file(file), new SamplingPolicy.Uniform(40), TestVideos.UNIT,
                VideoLimits.defaults());
        assertEquals(40, frames.frames());
        assertEquals(new DedupStats(Dedup.off(), 40, new long[0]), frames.dedup());
    }

    @Test
    void liveStreamsDedupToo() throws VideoException {
        try (FrameStream stream = VideoSampler.open(VideoSource.file(file),
                new SamplingPolicy.Live(10).withDedup(Dedup.similarity()), TestVideos.UNIT, VideoLimits.defaults())) {
            assertEquals(0, stream.next().orElseThrow().sourceFrameIndex());
            assertEquals(10, stream.next().orElseThrow().sourceFrameIndex());
            assertEquals(9, stream.dedupStats().dropped());
            assertEquals(11, stream.dedupStats().candidates());
        }
    }

    @Test
    void similarityIsTheShareOfPixelsWithinTolerance() {
        byte[] a = new byte[100];
        byte[] b = new byte[100];
        for (int i = 0; i < 100; i++) {
            a[i] = (byte) 100;
            b[i] = (byte) (i < 90 ? 100 + Dedup.PIXEL_TOLERANCE : 100 + Dedup.PIXEL_TOLERANCE + 1);
        }
        assertEquals(0.9, DuplicateFilter.similarity(a, b), 1e-12);
        assertEquals(1.0, DuplicateFilter.similarity(a, a), 1e-12);
    }

    @Test
    void thresholdsOutsideTheUnitIntervalAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> Dedup.similarity(0));
        assertThrows(IllegalArgumentException.class, () -> Dedup.similarity(1.5));
    }
}

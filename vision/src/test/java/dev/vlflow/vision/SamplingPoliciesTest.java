package dev.vlflow.vision;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vlflow.vision.synthetic.Rgb;
import dev.vlflow.vision.synthetic.SyntheticVideo;
import dev.vlflow.vision.synthetic.VideoSpec;
import dev.vlflow.vision.synthetic.VideoSpec.Encoding;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Each policy on generated videos: the right frames (read back from the frame code), times and content. */
class SamplingPoliciesTest {

    @TempDir
    static Path dir;
    static Path mp4;

    @BeforeAll
    static void writeVideo() {
        mp4 = TestVideos.write(TestVideos.moving(Encoding.MP4_MPEG4), dir, "moving");
    }

    @ParameterizedTest
    @EnumSource(Encoding.class)
    void uniformPicksLmmsEvalIndicesInEveryContainer(Encoding encoding) throws VideoException {
        Path file = TestVideos.write(TestVideos.moving(encoding), dir, "uniform-" + encoding);
        Frames frames = VideoSampler.sample(VideoSource.file(file), new SamplingPolicy.Uniform(32),
                TestVideos.LLAVA, VideoLimits.defaults());
        long[] expected = {0, 3, 6, 9, 12, 15, 19, 22, 25, 28, 31, 35, 38, 41, 44, 47, 51, 54, 57, 60, 63, 67, 70, 73,
            76, 79, 83, 86, 89, 92, 95, 99};
        assertArrayEquals(expected, frames.sourceFrameIndices());
        assertArrayEquals(new long[] {32, 3, 384, 384}, frames.shape());
        assertEquals(100, frames.video().frameCount().orElseThrow());
        for (int i = 0; i < frames.frames(); i++) {
            assertEquals(expected[i], SyntheticVideo.readFrameCode(frames.frame(i), 384, 384), "frame " + i);
            // 25 fps in every container's time base: 40 ms per frame, exact (Matroska counts milliseconds)
            assertEquals(expected[i] * 40_000, frames.timestampsMicros()[i], "time of frame " + i);
        }
    }

    @Test
    void uniformShowsTheSquareWhereItShouldBe() throws VideoException {
        Frames frames = VideoSampler.sample(VideoSource.file(mp4), new SamplingPolicy.Uniform(8), TestVideos.UNIT,
                VideoLimits.defaults());
        assertEquals(320, frames.width());
        for (int i = 0; i < frames.frames(); i++) {
            double seconds = frames.timestampsMicros()[i] / 1e6;
            int left = (int) Math.round(TestVideos.SPEED * seconds);
            FloatBuffer frame = frames.frame(i);
            assertColour(Rgb.RED, TestVideos.colourAt(frame, 320, 240, left + 20, 40), "square centre, frame " + i);
            assertColour(Rgb.GREY, TestVideos.colourAt(frame, 320, 240, left + 60, 40), "right of square " + i);
            Rgb ellipseSpot = TestVideos.colourAt(frame, 320, 240, 230, 120);
            assertColour(seconds >= 2 ? Rgb.BLUE : Rgb.GREY, ellipseSpot, "ellipse at " + seconds + " s");
        }
    }

    @Test
    void moreFramesThanTheVideoHasRepeatFramesAsDecordDoes() throws VideoException {
        VideoSpec shortSpec = TestVideos.moving(Encoding.MP4_MPEG4).withSlots(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        Path file = TestVideos.write(shortSpec, dir, "ten");
        Frames frames = VideoSampler.sample(VideoSource.file(file), new SamplingPolicy.Uniform(32),
                TestVideos.LLAVA, VideoLimits.defaults());
        long[] expected = {0, 0, 0, 0, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 6, 6, 6, 6, 7, 7, 7, 8, 8, 8,
            9};
        assertArrayEquals(expected, frames.sourceFrameIndices());
        for (int i = 0; i < 32; i++) {
            assertEquals(expected[i], SyntheticVideo.readFrameCode(frames.frame(i), 384, 384));
        }
        assertEquals(frames.frame(0), frames.frame(3));
    }

    @Test
    void fpsTakesTheFirstFrameAtOrAfterEachTick() throws VideoException {
        Frames frames = VideoSampler.sample(VideoSource.file(mp4), new SamplingPolicy.Fps(2, 100), TestVideos.LLAVA,
                VideoLimits.defaults());
        long[] expected = {0, 13, 25, 38, 50, 63, 75, 88};
        assertArrayEquals(expected, frames.sourceFrameIndices());
        assertArrayEquals(new long[] {0, 520_000, 1_000_000, 1_520_000, 2_000_000, 2_520_000, 3_000_000, 3_520_000},
                frames.timestampsMicros());
        for (int i = 0; i < frames.frames(); i++) {
            assertEquals(expected[i], SyntheticVideo.readFrameCode(frames.frame(i), 384, 384));
        }
    }

    @Test
    void fpsOverTheCapFallsBackToUniformOverTheWholeVideo() throws VideoException {
        Frames frames = VideoSampler.sample(VideoSource.file(mp4), new SamplingPolicy.Fps(10, 8), TestVideos.LLAVA,
                VideoLimits.defaults());
        // 10 fps would give 40 frames; the cap of 8 gives np.linspace(0, 99, 8) instead
        assertArrayEquals(new long[] {0, 14, 28, 42, 56, 70, 84, 99}, frames.sourceFrameIndices());
    }

    @Test
    void fpsOnAVariableRateVideoFollowsTimestampsNotIndices() throws VideoException {
        VideoSpec vfr = TestVideos.moving(Encoding.MP4_MPEG4).withSlots(0, 1, 2, 5, 9, 10, 50, 99);
        Path file = TestVideos.write(vfr, dir, "vfr");
        Frames frames = VideoSampler.sample(VideoSource.file(file), new SamplingPolicy.Fps(2, 100),
                TestVideos.LLAVA, VideoLimits.defaults());
        assertArrayEquals(new long[] {0, 6, 7}, frames.sourceFrameIndices());
        assertArrayEquals(new long[] {0, 2_000_000, 3_960_000}, frames.timestampsMicros());
        assertEquals(50, SyntheticVideo.readFrameCode(frames.frame(1), 384, 384));
        assertEquals(99, SyntheticVideo.readFrameCode(frames.frame(2), 384, 384));
    }

    @Test
    void liveEmitsTheSameFramesAsFpsOneByOne() throws VideoException {
        List<Long> indices = new ArrayList<>();
        List<Long> times = new ArrayList<>();
        try (FrameStream stream = VideoSampler.open(VideoSource.file(mp4), new SamplingPolicy.Live(2),
                TestVideos.LLAVA, VideoLimits.defaults())) {
            assertTrue(stream.planned().isEmpty());
            Optional<SampledFrame> frame;
            while ((frame = stream.next()).isPresent()) {
                SampledFrame f = frame.get();
                assertEquals(f.sourceFrameIndex(), SyntheticVideo.readFrameCode(f.pixels(), 384, 384));
                indices.add(f.sourceFrameIndex());
                times.add(f.timestampMicros());
            }
            assertEquals(0, stream.damagedFramesSkipped());
        }
        assertEquals(List.of(0L, 13L, 25L, 38L, 50L, 63L, 75L, 88L), indices);
        assertEquals(List.of(0L, 520_000L, 1_000_000L, 1_520_000L, 2_000_000L, 2_520_000L, 3_000_000L, 3_520_000L),
                times);
    }

    @Test
    void streamsWithoutTimestampsAreNumberedInDecodingOrderAtTheNominalRate() throws VideoException {
        Path raw = TestVideos.write(TestVideos.moving(Encoding.RAW_H264), dir, "raw");
        long[] expected = {0, 13, 25, 38, 50, 63, 75, 88};
        for (SamplingPolicy policy : List.of(new SamplingPolicy.Fps(2, 100), new SamplingPolicy.Live(2))) {
            Frames frames = VideoSampler.sample(VideoSource.file(raw), policy, TestVideos.LLAVA,
                    VideoLimits.defaults());
            assertArrayEquals(expected, frames.sourceFrameIndices(), policy.toString());
            for (int i = 0; i < frames.frames(); i++) {
                assertEquals(expected[i], SyntheticVideo.readFrameCode(frames.frame(i), 384, 384));
                assertEquals(expected[i] * 40_000, frames.timestampsMicros()[i], 1, policy.toString());
            }
        }
    }

    @Test
    void sampleWithLiveReadsTheWholeFiniteStream() throws VideoException {
        Frames frames = VideoSampler.sample(VideoSource.file(mp4), new SamplingPolicy.Live(1), TestVideos.LLAVA,
                VideoLimits.defaults());
        assertArrayEquals(new long[] {0, 25, 50, 75}, frames.sourceFrameIndices());
    }

    @Test
    void everyFrameHasItsExactPresentationTimestamp() throws VideoException {
        VideoSpec at30 = VideoSpec.of(160, 120, 30, java.time.Duration.ofSeconds(3)).withFrameCode();
        Path file = TestVideos.write(at30, dir, "thirty");
        Frames frames = VideoSampler.sample(VideoSource.file(file), new SamplingPolicy.Fps(30, 1000),
                TestVideos.UNIT, VideoLimits.defaults());
        assertEquals(90, frames.frames());
        for (int i = 0; i < 90; i++) {
            // MP4 at 30 fps: 512 ticks of 1/15360 s per frame, rounded to the nearest microsecond
            assertEquals(Math.round(i * 1e6 / 30), frames.timestampsMicros()[i]);
            assertEquals(i, frames.sourceFrameIndices()[i]);
            assertEquals(i, SyntheticVideo.readFrameCode(frames.frame(i), 160, 120));
        }
        assertEquals(java.time.Duration.ofSeconds(3), frames.video().duration().orElseThrow());
    }

    @Test
    void sparsePlansOnLongVideosSeekInsteadOfDecodingEverything() throws VideoException {
        VideoSpec longSpec = VideoSpec.of(64, 48, 25, java.time.Duration.ofSeconds(120)).withFrameCode();
        Path file = TestVideos.write(longSpec, dir, "long");
        long[] expected = {0, 749, 1499, 2249, 2999};
        try (FrameStream stream = VideoSampler.open(VideoSource.file(file), new SamplingPolicy.Uniform(5),
                TestVideos.UNIT, VideoLimits.defaults())) {
            for (long index : expected) {
                SampledFrame frame = stream.next().orElseThrow();
                assertEquals(index, frame.sourceFrameIndex());
                assertEquals(index, SyntheticVideo.readFrameCode(frame.pixels(), 64, 48));
            }
            assertTrue(stream.next().isEmpty());
            // One group of pictures (25 frames) at most per sampled frame, not 3000 frames.
            assertTrue(stream.framesDecoded() <= 5 * 25, "decoded " + stream.framesDecoded());
        }
    }

    private static void assertColour(Rgb expected, Rgb actual, String what) {
        assertTrue(expected.distance(actual) <= 24, what + ": expected " + expected + ", got " + actual);
    }
}

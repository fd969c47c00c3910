package dev.vlflow.vision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vlflow.vision.VideoException.Kind;
import dev.vlflow.vision.synthetic.VideoSpec;
import dev.vlflow.vision.synthetic.VideoSpec.Encoding;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every kind of bad input ends in a {@link VideoException} of the right kind, never a crash. */
class BadInputTest {

    private static final SamplingPolicy EVERY_FRAME = new SamplingPolicy.Fps(25, 1000);

    @TempDir
    static Path dir;
    static BadFiles bad;

    @BeforeAll
    static void setUp() {
        bad = new BadFiles(dir);
    }

    private static Kind kindOf(Path file, SamplingPolicy policy, VideoLimits limits) {
        VideoException e = assertThrows(VideoException.class,
                () -> VideoSampler.sample(VideoSource.file(file), policy, TestVideos.LLAVA, limits));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        return e.kind();
    }

    private static Kind kindOf(Path file) {
        return kindOf(file, EVERY_FRAME, VideoLimits.defaults());
    }

    @Test
    void missingFile() {
        assertEquals(Kind.NOT_FOUND, kindOf(dir.resolve("no-such-video.mp4")));
    }

    @Test
    void zeroBytes() throws IOException {
        assertEquals(Kind.EMPTY, kindOf(bad.empty()));
    }

    @Test
    void truncatedMp4WithItsIndexAtTheEnd() throws IOException {
        Path good = bad.good(Encoding.MP4_MPEG4);
        assertEquals(Kind.TRUNCATED, kindOf(bad.truncated(good, 0.5)));
        assertEquals(Kind.TRUNCATED, kindOf(bad.truncated(good, 0.02)));
        assertEquals(Kind.TRUNCATED, kindOf(bad.truncated(bad.good(Encoding.MP4_H264), 0.5)));
    }

    @Test
    void truncatedMp4WithItsIndexAtTheStartHasFewerFramesThanDeclared() throws IOException {
        Path cut = bad.truncated(bad.good(Encoding.MP4_MPEG4_FASTSTART), 0.6);
        assertEquals(Kind.TRUNCATED, kindOf(cut));
        assertEquals(Kind.TRUNCATED, kindOf(cut, new SamplingPolicy.Uniform(4), VideoLimits.defaults()));
        assertEquals(Kind.TRUNCATED, kindOf(cut, new SamplingPolicy.Live(1), VideoLimits.defaults()));
    }

    @Test
    void truncatedMatroskaEndsBeforeItsDeclaredDuration() throws IOException {
        assertEquals(Kind.TRUNCATED, kindOf(bad.truncated(bad.good(Encoding.MKV_MPEG4), 0.5)));
    }

    @Test
    void garbageInsideTheDataIsCaughtAlthoughFfmpegThrowsNothing() throws IOException {
        assertEquals(Kind.CORRUPT, kindOf(bad.garbage(bad.good(Encoding.MP4_MPEG4), 0.4, 2000)));
        assertEquals(Kind.CORRUPT, kindOf(bad.garbage(bad.good(Encoding.MP4_H264), 0.4, 2000)));
        assertEquals(Kind.CORRUPT, kindOf(bad.garbage(bad.good(Encoding.MKV_MPEG4), 0.4, 2000)));
        assertEquals(Kind.CORRUPT, kindOf(bad.garbage(bad.good(Encoding.TS_MPEG4), 0.4, 2000)));
    }

    @Test
    void garbageInTheIndexIsCorrupt() throws IOException {
        assertEquals(Kind.CORRUPT, kindOf(bad.garbage(bad.good(Encoding.MP4_MPEG4), 0.985, 400)));
    }

    @Test
    void liveStreamsSkipDamagedFramesAndCountThem() throws Exception {
        Path damaged = bad.garbage(bad.good(Encoding.MP4_MPEG4), 0.4, 2000);
        try (FrameStream stream = VideoSampler.open(VideoSource.file(damaged), new SamplingPolicy.Live(25),
                TestVideos.LLAVA, VideoLimits.defaults())) {
            int frames = 0;
            while (stream.next().isPresent()) {
                frames++;
            }
            assertTrue(stream.damagedFramesSkipped() > 0);
            assertEquals(50, frames + stream.damagedFramesSkipped());
        }
    }

    @Test
    void notAVideo() throws IOException {
        assertEquals(Kind.NOT_A_VIDEO, kindOf(bad.text()));
        assertEquals(Kind.NOT_A_VIDEO, kindOf(bad.randomBytes()));
        assertEquals(Kind.NOT_A_VIDEO, kindOf(bad.audioOnly()));
        assertEquals(Kind.NOT_A_VIDEO, kindOf(dir));
    }

    @Test
    void aDeviceIsNotAVideo() {
        VideoException e = assertThrows(VideoException.class, () -> VideoSampler.sample(
                VideoSource.file(Path.of("/dev/zero")), EVERY_FRAME, TestVideos.LLAVA, VideoLimits.defaults()));
        assertEquals(Kind.NOT_A_VIDEO, e.kind());
    }

    @Test
    void unsupportedCodec() throws IOException {
        assertEquals(Kind.UNSUPPORTED_CODEC, kindOf(bad.unknownCodec()));
    }

    @Test
    void absurdResolution() throws IOException {
        assertEquals(Kind.RESOLUTION_TOO_LARGE, kindOf(bad.y4m(16_000, 16_000)));
        assertEquals(Kind.RESOLUTION_TOO_LARGE, kindOf(bad.y4m(100_000, 100_000)));
        Path good = bad.good(Encoding.MP4_MPEG4);
        assertEquals(Kind.RESOLUTION_TOO_LARGE, kindOf(good, EVERY_FRAME,
                VideoLimits.defaults().withMaxResolution(100, 1000)));
    }

    @Test
    void absurdDuration() {
        assertEquals(Kind.TOO_LONG, kindOf(bad.thirtyHours()));
        VideoSpec tenDays = VideoSpec.of(64, 48, 1, Duration.ofSeconds(2)).withEncoding(Encoding.MKV_MPEG4)
                .withSlots(0, 1, 10L * 86_400);
        assertEquals(Kind.TOO_LONG, kindOf(TestVideos.write(tenDays, dir, "ten-days")));
    }

    @Test
    void durationLimitAlsoHoldsWhenTheHeaderStatesNone() {
        // A raw elementary stream declares no duration: the scan measures 2 s and stops at the 1 s limit.
        Path raw = bad.good(Encoding.RAW_MPEG4);
        assertEquals(Kind.TOO_LONG, kindOf(raw, EVERY_FRAME, VideoLimits.defaults().withMaxDuration(
                Duration.ofSeconds(1))));
        assertEquals(Kind.TOO_LONG, kindOf(raw, new SamplingPolicy.Live(25), VideoLimits.defaults()
                .withMaxDuration(Duration.ofSeconds(1))));
    }

    @Test
    void frameLimitFromTheHeaderAndFromCounting() {
        VideoLimits fifty = VideoLimits.defaults().withMaxFrames(20);
        assertEquals(Kind.TOO_MANY_FRAMES, kindOf(bad.good(Encoding.MP4_MPEG4), EVERY_FRAME, fifty));
        assertEquals(Kind.TOO_MANY_FRAMES, kindOf(bad.good(Encoding.RAW_MPEG4), EVERY_FRAME, fifty));
        assertEquals(Kind.TOO_MANY_FRAMES, kindOf(bad.good(Encoding.RAW_MPEG4), new SamplingPolicy.Live(25), fifty));
    }

    @Test
    void sampledFrameLimit() {
        Path good = bad.good(Encoding.MP4_MPEG4);
        VideoLimits ten = VideoLimits.defaults().withMaxSampledFrames(10);
        assertThrows(IllegalArgumentException.class, () -> VideoSampler.sample(VideoSource.file(good),
                new SamplingPolicy.Uniform(11), TestVideos.LLAVA, ten));
        assertEquals(Kind.TOO_MANY_FRAMES, kindOf(good, new SamplingPolicy.Live(25), ten));
    }
}

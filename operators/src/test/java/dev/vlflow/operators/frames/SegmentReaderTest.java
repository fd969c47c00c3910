package dev.vlflow.operators.frames;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.vlflow.connectors.events.VideoSegment;
import dev.vlflow.vision.Frames;
import dev.vlflow.vision.SamplingPolicy;
import dev.vlflow.vision.VideoException;
import dev.vlflow.vision.VideoLimits;
import dev.vlflow.vision.VideoSampler;
import dev.vlflow.vision.VideoSource;
import dev.vlflow.vision.preprocess.Preprocessor;
import dev.vlflow.vision.preprocess.ProcessorConfig;
import dev.vlflow.vision.synthetic.Rgb;
import dev.vlflow.vision.synthetic.Shape;
import dev.vlflow.vision.synthetic.SyntheticVideo;
import dev.vlflow.vision.synthetic.VideoSpec;
import java.nio.FloatBuffer;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Segment frames against the vision module's own sampler, and the frame codes of the frames a range selects. */
class SegmentReaderTest {

    private static final int SIZE = 112;

    @TempDir
    static Path temp;
    private static Path video; // 4 s at 10 fps: slots 0..39, each frame's slot drawn as a code
    private static Preprocessor preprocessor;
    private static SegmentReader reader;

    @BeforeAll
    static void makeVideo() throws Exception {
        VideoSpec spec = VideoSpec.of(160, 160, 10, Duration.ofSeconds(4)).withBackground(Rgb.GREY)
                .withShapes(Shape.rectangle(Rgb.RED, 32, 32, 0, 40, 30, 0)).withFrameCode();
        video = SyntheticVideo.write(spec, temp.resolve("clip.mp4"));
        preprocessor = new Preprocessor(ProcessorConfig.llavaOnevision().withSize(SIZE, SIZE));
        reader = new SegmentReader(preprocessor, VideoLimits.defaults());
    }

    private static VideoSegment segment(double start, Double end) {
        return VideoSegment.newBuilder().setStreamId("s").setSequence(3).setUri(video.toString()).setData(null)
                .setStartSeconds(start).setEndSeconds(end).setFrames(null).build();
    }

    private static int code(SegmentFrames f, int i) {
        int plane = 3 * SIZE * SIZE;
        return SyntheticVideo.readFrameCode(FloatBuffer.wrap(f.pixels(), i * plane, plane).slice(), SIZE, SIZE);
    }

    @Test
    void aWholeVideoSegmentIsExactlyTheVisionSamplersUniformFrames() throws Exception {
        SegmentFrames frames = reader.read(segment(0, null), 5);
        Frames expected = VideoSampler.sample(VideoSource.file(video), new SamplingPolicy.Uniform(5), preprocessor,
                VideoLimits.defaults());
        assertEquals(5, frames.frames());
        assertEquals(SIZE, frames.size());
        assertEquals("s", frames.streamId());
        assertEquals(3, frames.sequence());
        assertArrayEquals(expected.toArray(), frames.pixels());
        assertArrayEquals(expected.timestampsMicros(), frames.timestampsMicros());
    }

    @Test
    void aRangeSamplesEvenlyInsideIt() throws Exception {
        // 1.0 s .. 2.0 s holds slots 10..19; 4 frames evenly: 10, 13, 16, 19
        SegmentFrames frames = reader.read(segment(1.0, 2.0), 4);
        assertArrayEquals(new long[] {1_000_000, 1_300_000, 1_600_000, 1_900_000}, frames.timestampsMicros());
        for (int i = 0; i < 4; i++) {
            assertEquals(10 + 3 * i, code(frames, i));
        }
    }

    @Test
    void inlineBytesReadLikeTheFile() throws Exception {
        VideoSegment inline = VideoSegment.newBuilder(segment(2.0, null)).setUri(null)
                .setData(ByteBuffer.wrap(Files.readAllBytes(video))).build();
        assertEquals(reader.read(segment(2.0, null), 3), reader.read(inline, 3));
    }

    @Test
    void unreadableVideosAndEmptyRangesAreTypedErrors() {
        VideoSegment missing = VideoSegment.newBuilder(segment(0, null)).setUri(temp.resolve("nope.mp4").toString())
                .build();
        assertEquals(VideoException.Kind.NOT_FOUND, assertThrows(VideoException.class,
                () -> reader.read(missing, 2)).kind());
        assertEquals(VideoException.Kind.TRUNCATED, assertThrows(VideoException.class,
                () -> reader.read(segment(10.0, 12.0), 2)).kind());
    }
}

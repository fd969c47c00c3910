package dev.vlflow.vision.synthetic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vlflow.vision.Frames;
import dev.vlflow.vision.SamplingPolicy;
import dev.vlflow.vision.TestVideos;
import dev.vlflow.vision.VideoException;
import dev.vlflow.vision.VideoLimits;
import dev.vlflow.vision.VideoSampler;
import dev.vlflow.vision.VideoSource;
import dev.vlflow.vision.synthetic.VideoSpec.Encoding;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SyntheticVideoTest {

    @TempDir
    Path dir;

    @Test
    void shapesAreWhereAndWhenTheSpecSays() {
        VideoSpec spec = TestVideos.moving(Encoding.MP4_MPEG4);
        byte[] at1s = SyntheticVideo.render(spec, 25);          // 1.0 s: square at x = 50, no ellipse yet
        assertEquals(Rgb.RED, colour(at1s, 320, 70, 40));
        assertEquals(Rgb.GREY, colour(at1s, 320, 30, 40));
        assertEquals(Rgb.GREY, colour(at1s, 320, 230, 120));
        byte[] at3s = SyntheticVideo.render(spec, 75);          // 3.0 s: square at x = 150, ellipse visible
        assertEquals(Rgb.RED, colour(at3s, 320, 170, 40));
        assertEquals(Rgb.BLUE, colour(at3s, 320, 230, 120));
        assertEquals(Rgb.GREY, colour(at3s, 320, 201, 101));    // a corner of the ellipse's box, outside it
    }

    @Test
    void frameCodesRoundTrip() {
        VideoSpec spec = VideoSpec.of(96, 64, 25, Duration.ofSeconds(1)).withFrameCode();
        for (int slot : new int[] {0, 1, 2, 255, 12_345, 65_535}) {
            assertEquals(slot, SyntheticVideo.readFrameCode(SyntheticVideo.render(spec, slot), 96, 64));
        }
        assertThrows(IllegalArgumentException.class, () -> SyntheticVideo.render(spec, 65_536));
    }

    @ParameterizedTest
    @EnumSource(Encoding.class)
    void decodedFramesMatchWhatWasRendered(Encoding encoding) throws VideoException {
        VideoSpec spec = TestVideos.moving(encoding);
        Path file = TestVideos.write(spec, dir, "check");
        Frames frames = VideoSampler.sample(VideoSource.file(file), new SamplingPolicy.Uniform(10), TestVideos.UNIT,
                VideoLimits.defaults());
        for (int i = 0; i < frames.frames(); i++) {
            long slot = frames.sourceFrameIndices()[i];
            byte[] expected = SyntheticVideo.render(spec, slot);
            double meanError = meanAbsoluteError(expected, frames.frame(i), 320, 240);
            // Lossy coding and 4:2:0 chroma blur the edges; on average a frame stays within a few levels.
            assertTrue(meanError < 4, encoding + " frame " + slot + ": mean error " + meanError + " levels");
        }
    }

    @Test
    void specsAreValidated() {
        assertThrows(IllegalArgumentException.class, () -> VideoSpec.of(33, 20, 25, Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> VideoSpec.of(32, 20, 0, Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> VideoSpec.of(32, 20, 25, Duration.ZERO));
        VideoSpec spec = VideoSpec.of(32, 20, 25, Duration.ofSeconds(1));
        assertThrows(IllegalArgumentException.class, () -> spec.withSlots(3, 2));
        assertEquals(25, spec.slots().length);
        assertEquals(40_000, spec.slotMicros(1));
        assertThrows(IllegalArgumentException.class, () -> new Rgb(256, 0, 0));
    }

    private static Rgb colour(byte[] rgb, int width, int x, int y) {
        int i = (y * width + x) * 3;
        return new Rgb(rgb[i] & 0xff, rgb[i + 1] & 0xff, rgb[i + 2] & 0xff);
    }

    private static double meanAbsoluteError(byte[] expected, FloatBuffer chw, int width, int height) {
        int plane = width * height;
        double sum = 0;
        for (int p = 0; p < plane; p++) {
            for (int c = 0; c < 3; c++) {
                sum += Math.abs((expected[p * 3 + c] & 0xff) - chw.get(chw.position() + c * plane + p) * 255);
            }
        }
        return sum / (3.0 * plane);
    }
}

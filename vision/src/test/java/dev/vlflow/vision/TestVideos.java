package dev.vlflow.vision;

import dev.vlflow.vision.preprocess.Preprocessor;
import dev.vlflow.vision.preprocess.ProcessorConfig;
import dev.vlflow.vision.preprocess.Resample;
import dev.vlflow.vision.synthetic.Rgb;
import dev.vlflow.vision.synthetic.Shape;
import dev.vlflow.vision.synthetic.SyntheticVideo;
import dev.vlflow.vision.synthetic.VideoSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.time.Duration;

/** Videos and preprocessors the tests share. */
public final class TestVideos {

    /** LLaVA-OneVision's processor: 384×384 bicubic, [−1, 1]. */
    public static final Preprocessor LLAVA = new Preprocessor(ProcessorConfig.llavaOnevision());
    /** No resize, rescale to [0, 1], no normalization: pixels stay where they were, values are colour / 255. */
    public static final Preprocessor UNIT = new Preprocessor(new ProcessorConfig(true, false, 0, 0, Resample.BICUBIC,
            true, 1 / 255.0, false, new ProcessorConfig.Channels(0, 0, 0), new ProcessorConfig.Channels(1, 1, 1)));

    /** The red square's speed, pixels per second. */
    public static final double SPEED = 50;

    private TestVideos() {
    }

    /**
     * 320×240, 25 fps, 4 s = 100 frames, frame code at the bottom; a red 40×40 square moving right from x = 0 at
     * {@value #SPEED} px/s at y = 20; a blue 60×40 ellipse at (200, 100) from 2 s on.
     */
    public static VideoSpec moving(VideoSpec.Encoding encoding) {
        return VideoSpec.of(320, 240, 25, Duration.ofSeconds(4)).withFrameCode().withEncoding(encoding)
                .withShapes(Shape.rectangle(Rgb.RED, 40, 40, 0, 20, SPEED, 0),
                        new Shape(Shape.Form.ELLIPSE, Rgb.BLUE, 60, 40, 200, 100, 0, 0, Duration.ofSeconds(2),
                                Duration.ofDays(1)));
    }

    public static Path write(VideoSpec spec, Path dir, String name) {
        try {
            return SyntheticVideo.write(spec, dir.resolve(name + "." + spec.encoding().extension()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The colour at (x, y) of a {@code [3, H, W]} frame preprocessed by {@link #UNIT}, as 0–255 levels. */
    public static Rgb colourAt(FloatBuffer chw, int width, int height, int x, int y) {
        int plane = width * height;
        int base = chw.position() + y * width + x;
        return new Rgb(level(chw.get(base)), level(chw.get(base + plane)), level(chw.get(base + 2 * plane)));
    }

    private static int level(float unit) {
        return Math.max(0, Math.min(255, Math.round(unit * 255)));
    }
}

package dev.vlflow.vision.preprocess;

import static org.bytedeco.opencv.global.opencv_core.CV_32F;
import static org.bytedeco.opencv.global.opencv_core.CV_32FC1;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_core.split;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.MatVector;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * Turns a decoded RGB frame into what the vision tower reads, with OpenCV: resize to the config's
 * {@code height × width} ({@link Resample} notes how OpenCV's filters differ from PIL's), then per channel
 * {@code (x · rescale − mean) / std} into planar floats.
 *
 * <pre>
 *   in:  [h, w, 3] uint8, packed RGB (a Mat, or a byte array)
 *   out: [3, H, W] float32, planes R, G, B
 * </pre>
 *
 * Stateless and thread-safe; each call allocates its own OpenCV buffers.
 */
public final class Preprocessor {

    private final ProcessorConfig config;
    private final double[] alpha = new double[3];
    private final double[] beta = new double[3];

    public Preprocessor(ProcessorConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        double scale = config.doRescale() ? config.rescaleFactor() : 1;
        for (int c = 0; c < 3; c++) {
            if (config.doNormalize()) {
                alpha[c] = scale / config.std().get(c);
                beta[c] = -config.mean().get(c) / config.std().get(c);
            } else {
                alpha[c] = scale;
                beta[c] = 0;
            }
        }
    }

    /** The preprocessor a model directory's processor config describes ({@link ProcessorConfig#load}). */
    public static Preprocessor forModel(Path modelDirectory) throws IOException {
        return new Preprocessor(ProcessorConfig.load(modelDirectory));
    }

    public ProcessorConfig config() {
        return config;
    }

    /** Rows of the output for a source of {@code sourceHeight} rows. */
    public int outputHeight(int sourceHeight) {
        return config.doResize() ? config.height() : sourceHeight;
    }

    /** Columns of the output for a source of {@code sourceWidth} columns. */
    public int outputWidth(int sourceWidth) {
        return config.doResize() ? config.width() : sourceWidth;
    }

    /**
     * Preprocesses one frame.
     *
     * @param rgb    {@code [h, w, 3]} uint8 packed RGB
     * @param out    receives {@code [3, H, W]} floats
     * @param offset where in {@code out} the frame starts
     */
    public void apply(Mat rgb, float[] out, int offset) {
        if (rgb.type() != CV_8UC3) {
            throw new IllegalArgumentException("expected an 8-bit 3-channel image, got OpenCV type " + rgb.type());
        }
        int height = outputHeight(rgb.rows());
        int width = outputWidth(rgb.cols());
        int plane = height * width;
        Objects.checkFromIndexSize(offset, 3 * plane, out.length);
        try (Mat resized = new Mat();
             Size size = new Size(width, height);
             MatVector channels = new MatVector();
             FloatPointer planes = new FloatPointer(3L * plane);
             Mat planar = new Mat(3 * height, width, CV_32FC1, planes)) {
            Mat source = rgb;
            if (height != rgb.rows() || width != rgb.cols()) {
                resize(rgb, resized, size, 0, 0, config.resample().openCvFlag());
                source = resized;
            }
            split(source, channels);
            for (int c = 0; c < 3; c++) {
                // Rows [c·H, (c+1)·H) of the planar buffer; channels.get(c) is a view owned by the vector.
                try (Mat target = planar.rowRange(c * height, (c + 1) * height)) {
                    channels.get(c).convertTo(target, CV_32F, alpha[c], beta[c]);
                }
            }
            planes.get(out, offset, 3 * plane);
        }
    }

    /**
     * Preprocesses one packed RGB frame given as bytes.
     *
     * @param rgb {@code [height, width, 3]} bytes
     * @return {@code [3, H, W]} floats
     */
    public float[] apply(byte[] rgb, int width, int height) {
        if (rgb.length != width * height * 3) {
            throw new IllegalArgumentException("expected " + width + "x" + height + "x3 bytes, got " + rgb.length);
        }
        float[] out = new float[3 * outputHeight(height) * outputWidth(width)];
        try (BytePointer data = new BytePointer(rgb); Mat mat = new Mat(height, width, CV_8UC3, data)) {
            apply(mat, out, 0);
        }
        return out;
    }
}

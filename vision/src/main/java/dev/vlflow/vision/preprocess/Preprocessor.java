package dev.vlflow.vision.preprocess;

import static org.bytedeco.opencv.global.opencv_core.CV_32F;
import static org.bytedeco.opencv.global.opencv_core.CV_32FC1;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_core.split;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.MatVector;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * Turns a decoded RGB frame into what the vision tower reads: resize to the config's {@code height × width}, then
 * per channel {@code (x · rescale − mean) / std} into planar floats (with OpenCV). The resize is chosen once, by
 * {@link ResizeMethod}: {@link ResizeMethod#HF} (the default) is torchvision's antialiased resize as Hugging Face's
 * video processors run it ({@link AntialiasedResize}; bicubic and bilinear configs; nearest is OpenCV's
 * {@code INTER_NEAREST_EXACT}, the same pixels as torchvision's {@code NEAREST_EXACT}); {@link ResizeMethod#OPENCV}
 * is OpenCV's {@code cv::resize} ({@link Resample} notes how its filters differ from PIL's).
 *
 * <pre>
 *   in:  [h, w, 3] uint8, packed RGB (a Mat, or a byte array)
 *   out: [3, H, W] float32, planes R, G, B
 * </pre>
 *
 * Thread-safe; each call allocates its own buffers. The antialiased path keeps the weights of the last frame size
 * it saw (an immutable plan), so a video's frames compute them once.
 */
public final class Preprocessor {

    private final ProcessorConfig config;
    private final ResizeMethod method;
    private final Optional<AntialiasedResize.Filter> antialiased;   // empty: OpenCV resizes
    private volatile AntialiasedResize plan;
    private final double[] alpha = new double[3];
    private final double[] beta = new double[3];

    /** Resizing as Hugging Face's processors do ({@link ResizeMethod#HF}). */
    public Preprocessor(ProcessorConfig config) {
        this(config, ResizeMethod.HF);
    }

    /**
     * @throws IllegalArgumentException {@link ResizeMethod#HF} with a filter that torchvision cannot apply to
     *                                  tensors (box, Lanczos, Hamming)
     */
    public Preprocessor(ProcessorConfig config, ResizeMethod method) {
        this.config = Objects.requireNonNull(config, "config");
        this.method = Objects.requireNonNull(method, "method");
        this.antialiased = method == ResizeMethod.HF && config.doResize() ? hfFilter(config.resample())
                : Optional.empty();
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

    private static Optional<AntialiasedResize.Filter> hfFilter(Resample resample) {
        return switch (resample) {
            case BICUBIC -> Optional.of(AntialiasedResize.Filter.BICUBIC);
            case BILINEAR -> Optional.of(AntialiasedResize.Filter.BILINEAR);
            case NEAREST -> Optional.empty();
            case BOX, LANCZOS, HAMMING -> throw new IllegalArgumentException("resample " + resample
                    + ": Hugging Face's torchvision processors cannot resize video tensors with it; resize with"
                    + " opencv (--resize opencv, vlflow.video.resize: opencv)");
        };
    }

    /** The preprocessor a model directory's processor config describes ({@link ProcessorConfig#load}), HF resize. */
    public static Preprocessor forModel(Path modelDirectory) throws IOException {
        return forModel(modelDirectory, ResizeMethod.HF);
    }

    /** The preprocessor a model directory's processor config describes, resizing with {@code method}. */
    public static Preprocessor forModel(Path modelDirectory, ResizeMethod method) throws IOException {
        ProcessorConfig config = ProcessorConfig.load(modelDirectory);
        try {
            return new Preprocessor(config, method);
        } catch (IllegalArgumentException e) {
            throw new IOException(modelDirectory + ": " + e.getMessage(), e);
        }
    }

    public ProcessorConfig config() {
        return config;
    }

    public ResizeMethod method() {
        return method;
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
                if (antialiased.isPresent()) {
                    resizeAntialiased(rgb, resized, width, height);
                } else {
                    resize(rgb, resized, size, 0, 0, config.resample().openCvFlag());
                }
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

    /** {@code rgb} resized by {@link AntialiasedResize} into {@code target} ({@code [height, width, 3]} uint8). */
    private void resizeAntialiased(Mat rgb, Mat target, int width, int height) {
        int rows = rgb.rows();
        int cols = rgb.cols();
        AntialiasedResize p = plan;
        if (p == null || !p.fits(cols, rows, width, height)) {
            p = AntialiasedResize.of(antialiased.orElseThrow(), cols, rows, width, height);
            plan = p;
        }
        byte[] in = new byte[rows * cols * 3];
        if (rgb.isContinuous()) {
            rgb.data().get(in, 0, in.length);
        } else {
            try (Mat copy = rgb.clone()) {
                copy.data().get(in, 0, in.length);
            }
        }
        byte[] out = p.apply(in);
        target.create(height, width, CV_8UC3);
        target.data().put(out, 0, out.length);
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

package dev.vlflow.vision.preprocess;

import java.util.Locale;

/**
 * How frames are resized to the processor config's size: the one choice of resampling implementation, parsed once
 * where the sampling options are ({@code --resize hf|opencv}, {@code vlflow.video.resize}).
 */
public enum ResizeMethod {
    /**
     * As Hugging Face's video processors resize on the CPU: torchvision's antialiased resize of a uint8 tensor
     * ({@link AntialiasedResize}). The default.
     */
    HF("hf"),
    /** OpenCV's {@code cv::resize} ({@link Resample#openCvFlag()}): no antialiasing; 2-4x faster a frame. */
    OPENCV("opencv");

    private final String label;

    ResizeMethod(String label) {
        this.label = label;
    }

    /** {@code hf} or {@code opencv}, as the options spell it. */
    public String label() {
        return label;
    }

    /**
     * The method an option names.
     *
     * @throws IllegalArgumentException anything but {@code hf} or {@code opencv} (any case)
     */
    public static ResizeMethod parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        for (ResizeMethod m : values()) {
            if (m.label.equals(t)) {
                return m;
            }
        }
        throw new IllegalArgumentException("resize must be hf or opencv, got '" + text + "'");
    }

    @Override
    public String toString() {
        return label;
    }
}

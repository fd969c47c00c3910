package dev.vlflow.vision.preprocess;

import org.bytedeco.opencv.global.opencv_imgproc;

/**
 * PIL's resampling filters as Hugging Face processor configs number them ({@code resample}), and the OpenCV
 * interpolation used for each. None is bit-identical to PIL:
 * <ul>
 *   <li>{@link #BICUBIC} (3, LLaVA-OneVision's): OpenCV's {@code INTER_CUBIC} uses the Keys kernel with
 *       {@code a = −0.75}, PIL {@code a = −0.5}; OpenCV always uses 4×4 taps, while PIL widens the kernel by the
 *       scale factor when shrinking (antialiasing). Upscaling therefore differs slightly (the kernel's overshoot),
 *       downscaling more (OpenCV aliases fine detail that PIL blurs). Measured on a 64×48 test image with hard
 *       edges and a 2-pixel checkerboard against Pillow 9.4: up to 100×80, mean |Δ| 1.4 levels of 255 (max 26);
 *       down to 40×30, mean 7.9 (max 75); 37×61, mean 6.0 (max 64) — smooth content differs far less. OpenCV also
 *       computes 8-bit resizes in fixed point (11-bit weights), so against its own formula in double precision it
 *       is off by at most one level.</li>
 *   <li>{@link #BILINEAR}: same antialiasing difference; {@link #NEAREST} maps to {@code INTER_NEAREST_EXACT},
 *       which picks the same pixels as PIL; {@link #BOX} to {@code INTER_AREA} (equal to PIL's box filter when
 *       shrinking by whole factors); {@link #LANCZOS} to {@code INTER_LANCZOS4} (a = 4, PIL a = 3).</li>
 *   <li>{@link #HAMMING} has no OpenCV counterpart and is refused.</li>
 * </ul>
 */
public enum Resample {
    NEAREST(0, opencv_imgproc.INTER_NEAREST_EXACT),
    LANCZOS(1, opencv_imgproc.INTER_LANCZOS4),
    BILINEAR(2, opencv_imgproc.INTER_LINEAR),
    BICUBIC(3, opencv_imgproc.INTER_CUBIC),
    BOX(4, opencv_imgproc.INTER_AREA),
    HAMMING(5, -1);

    private final int pilCode;
    private final int openCvFlag;

    Resample(int pilCode, int openCvFlag) {
        this.pilCode = pilCode;
        this.openCvFlag = openCvFlag;
    }

    /** The filter for a PIL / Hugging Face {@code resample} number. */
    public static Resample ofPilCode(int code) {
        for (Resample r : values()) {
            if (r.pilCode == code) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown PIL resample code " + code);
    }

    public int pilCode() {
        return pilCode;
    }

    /** OpenCV's interpolation flag for this filter. */
    public int openCvFlag() {
        if (openCvFlag < 0) {
            throw new UnsupportedOperationException("resample " + this + " has no OpenCV counterpart");
        }
        return openCvFlag;
    }
}

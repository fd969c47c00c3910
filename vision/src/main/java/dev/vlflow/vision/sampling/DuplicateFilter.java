package dev.vlflow.vision.sampling;

import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_RGB2GRAY;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import dev.vlflow.vision.Dedup;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * Drops frames too similar to the last kept one ({@link Dedup} defines the measure). Holds the last kept frame's
 * thumbnail; one per stream.
 */
public final class DuplicateFilter {

    private static final int SIDE = Dedup.THUMBNAIL;

    private final Dedup rule;
    private byte[] lastKept;   // [SIDE * SIDE] grey levels

    public DuplicateFilter(Dedup rule) {
        this.rule = rule;
    }

    /**
     * Whether {@code rgb} ({@code [h, w, 3]} bytes) duplicates the last kept frame. A frame that is not a duplicate
     * becomes the new reference.
     */
    public boolean isDuplicate(Mat rgb) {
        if (!(rule instanceof Dedup.Similarity similarity)) {
            return false;
        }
        byte[] thumb = thumbnail(rgb);
        if (lastKept != null && similarity(lastKept, thumb) >= similarity.threshold()) {
            return true;
        }
        lastKept = thumb;
        return false;
    }

    /** Fraction of thumbnail pixels whose grey levels differ by at most {@link Dedup#PIXEL_TOLERANCE}. */
    public static double similarity(byte[] a, byte[] b) {
        int same = 0;
        for (int i = 0; i < a.length; i++) {
            if (Math.abs((a[i] & 0xff) - (b[i] & 0xff)) <= Dedup.PIXEL_TOLERANCE) {
                same++;
            }
        }
        return (double) same / a.length;
    }

    /** {@code [SIDE * SIDE]} grey thumbnail (area averaging) of an RGB frame. */
    public static byte[] thumbnail(Mat rgb) {
        try (Mat small = new Mat(); Mat grey = new Mat(); Size size = new Size(SIDE, SIDE)) {
            resize(rgb, small, size, 0, 0, INTER_AREA);
            cvtColor(small, grey, COLOR_RGB2GRAY);
            byte[] out = new byte[SIDE * SIDE];
            BytePointer data = grey.data();
            for (int y = 0; y < SIDE; y++) {
                data.position(y * grey.step()).get(out, y * SIDE, SIDE);
            }
            return out;
        }
    }
}

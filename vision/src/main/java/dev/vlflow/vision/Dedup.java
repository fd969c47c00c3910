package dev.vlflow.vision;

/**
 * Whether to drop near-duplicate frames (static scenes). A selected frame is compared with the last frame that was
 * kept: both are shrunk to a {@value #THUMBNAIL}×{@value #THUMBNAIL} grey thumbnail (area averaging), and their
 * similarity is the fraction of thumbnail pixels that differ by at most {@value #PIXEL_TOLERANCE} of 255 levels
 * (compression noise). At or above the threshold the frame is dropped. A small object moving over a still
 * background changes a few percent of the pixels: with the default 0.95 such frames are kept when the object covers
 * more than about 2.5% of the picture.
 */
public sealed interface Dedup permits Dedup.Off, Dedup.Similarity {

    /** Default threshold: drop a frame when 95% of its pixels match the last kept frame. */
    double DEFAULT_THRESHOLD = 0.95;
    /** Thumbnail side in pixels. */
    int THUMBNAIL = 64;
    /** Largest per-pixel difference (of 255) that still counts as "the same pixel". */
    int PIXEL_TOLERANCE = 10;

    /** Keep every selected frame. */
    record Off() implements Dedup {
    }

    /** Drop a frame whose similarity to the last kept frame is at least {@code threshold} (in (0, 1]). */
    record Similarity(double threshold) implements Dedup {
        public Similarity {
            if (!(threshold > 0 && threshold <= 1)) {
                throw new IllegalArgumentException("threshold must be in (0, 1]: " + threshold);
            }
        }
    }

    static Dedup off() {
        return new Off();
    }

    static Dedup similarity(double threshold) {
        return new Similarity(threshold);
    }

    static Dedup similarity() {
        return new Similarity(DEFAULT_THRESHOLD);
    }
}

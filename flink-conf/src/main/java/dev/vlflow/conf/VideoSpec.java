package dev.vlflow.conf;

import java.io.Serializable;
import java.util.Locale;
import java.util.Set;

/**
 * Frame sampling of segments (see {@link VideoOptions}).
 *
 * @param framesPerSegment default frames sampled uniformly over a segment's time range
 * @param maxFramesPerSegment most frames a segment may ask for
 * @param resize           how frames are resized: {@code hf} (torchvision's antialiased resize, as Hugging Face's
 *                         processors) or {@code opencv} (faster, not antialiased); the vision module's
 *                         {@code ResizeMethod}
 */
public record VideoSpec(int framesPerSegment, int maxFramesPerSegment, String resize) implements Serializable {

    /** The resize methods a spec may name. */
    public static final Set<String> RESIZE = Set.of("hf", "opencv");

    public VideoSpec {
        if (framesPerSegment <= 0 || maxFramesPerSegment < framesPerSegment) {
            throw new IllegalArgumentException("need 0 < frames per segment <= max, got " + framesPerSegment
                    + " and " + maxFramesPerSegment);
        }
        String r = resize.trim().toLowerCase(Locale.ROOT);
        if (!RESIZE.contains(r)) {
            throw new IllegalArgumentException("vlflow.video.resize must be hf or opencv, got '" + resize + "'");
        }
        resize = r;
    }

    /** Resizing as Hugging Face's processors do. */
    public VideoSpec(int framesPerSegment, int maxFramesPerSegment) {
        this(framesPerSegment, maxFramesPerSegment, "hf");
    }

    public static VideoSpec defaults() {
        return new VideoSpec(4, 64);
    }

    /** Frames to sample for a segment that asks for {@code requested} (or the default when absent). */
    public int frames(Integer requested) {
        if (requested == null) {
            return framesPerSegment;
        }
        if (requested <= 0 || requested > maxFramesPerSegment) {
            throw new IllegalArgumentException("a segment may ask for 1.." + maxFramesPerSegment + " frames, not "
                    + requested);
        }
        return requested;
    }
}

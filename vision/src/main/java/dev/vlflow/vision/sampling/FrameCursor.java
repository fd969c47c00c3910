package dev.vlflow.vision.sampling;

import dev.vlflow.vision.VideoException;
import java.util.Optional;

/**
 * Walks a video's decoder from one selected frame to the next. After {@link #next()} returns a position, the
 * decoder's current frame is the selected one ({@link dev.vlflow.vision.decode.FfmpegVideo#rgb()}).
 */
public sealed interface FrameCursor permits PlannedCursor, LiveCursor {

    /** Where a selected frame sits in the video. */
    record Position(long timestampMicros, long sourceFrameIndex) {
    }

    /** Decodes up to the next selected frame; empty at the end. */
    Optional<Position> next() throws VideoException;

    /** Selected frames the cursor will return in all, if it knows. */
    java.util.OptionalInt planned();

    /**
     * Frames lost to damaged data: skipped because the decoder marked them damaged, or never produced because it
     * rejected their packets (live streams only; bounded sampling fails instead).
     */
    int damagedFramesSkipped();
}

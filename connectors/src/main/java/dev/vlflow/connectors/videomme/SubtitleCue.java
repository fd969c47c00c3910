package dev.vlflow.connectors.videomme;

import java.util.Objects;

/**
 * One subtitle entry.
 *
 * @param startSeconds start time
 * @param endSeconds   end time (not before the start)
 * @param text         the text with its {@code <font ...>} wrapping removed, lines joined by a space
 */
public record SubtitleCue(double startSeconds, double endSeconds, String text) {

    public SubtitleCue {
        Objects.requireNonNull(text, "text");
        if (!(startSeconds >= 0) || !(endSeconds >= startSeconds)) {
            throw new IllegalArgumentException("subtitle times must satisfy 0 <= start <= end, got " + startSeconds
                    + " --> " + endSeconds);
        }
    }

    /**
     * The frames this cue covers at {@code fps}, as lmms-eval computes them: {@code [int(start*fps), int(end*fps))}.
     */
    public boolean coversFrame(long frameIndex, double fps) {
        return frameIndex >= (long) (startSeconds * fps) && frameIndex < (long) (endSeconds * fps);
    }
}

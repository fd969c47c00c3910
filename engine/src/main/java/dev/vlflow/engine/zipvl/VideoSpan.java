package dev.vlflow.engine.zipvl;

/**
 * The positions of a prefill call that hold video tokens, {@code [from, to)}: the only ones progressive token
 * dropping may remove (text — the prompt header, a question — never leaves the residual stream).
 */
public record VideoSpan(int from, int to) {

    /** No video: nothing may be dropped. */
    public static final VideoSpan NONE = new VideoSpan(0, 0);

    public VideoSpan {
        if (from < 0 || to < from) {
            throw new IllegalArgumentException("video positions [" + from + ", " + to + ") are not a range");
        }
    }

    /** Every position from {@code from} on (frames appended after a prompt header of {@code from} tokens). */
    public static VideoSpan from(int from) {
        return new VideoSpan(from, Integer.MAX_VALUE);
    }

    public boolean contains(int position) {
        return position >= from && position < to;
    }
}

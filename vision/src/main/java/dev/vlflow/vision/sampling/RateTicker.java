package dev.vlflow.vision.sampling;

/**
 * Decides, frame by frame, whether a frame is the first at or after the next tick of a fixed rate. Ticks are at
 * {@code floor(k · 10⁶ / fps)} microseconds, {@code k = 0, 1, …}; the first frame is always taken.
 */
public final class RateTicker {

    private final double fps;
    private long nextTick = Long.MIN_VALUE;

    public RateTicker(double fps) {
        if (!(fps > 0) || Double.isInfinite(fps)) {
            throw new IllegalArgumentException("fps must be positive: " + fps);
        }
        this.fps = fps;
    }

    /** Whether to take a frame shown at {@code micros} (calls must come in presentation order). */
    public boolean accept(long micros) {
        if (micros < nextTick) {
            return false;
        }
        long k = (long) Math.floor(Math.max(0, micros) * fps / 1e6) + 1;
        while (tick(k) <= micros) {
            k++;
        }
        while (k > 0 && tick(k - 1) > micros) {
            k--;
        }
        nextTick = tick(k);
        return true;
    }

    private long tick(long k) {
        return (long) Math.floor(k * 1e6 / fps);
    }
}

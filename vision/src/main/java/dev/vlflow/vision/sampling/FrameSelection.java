package dev.vlflow.vision.sampling;

/** Which frames a policy picks, as pure functions of frame counts and timestamps. */
public final class FrameSelection {

    private FrameSelection() {
    }

    /**
     * {@code n} frame indices evenly spaced from the first to the last of {@code total} frames, exactly as lmms-eval
     * computes them: {@code np.linspace(0, total - 1, n, dtype=int)} — index {@code i} is
     * {@code (long) (i · (total − 1) / (n − 1))} in double precision, the last is {@code total − 1}, and
     * {@code n = 1} gives {@code [0]}. Indices repeat when {@code n > total}.
     *
     * @return {@code [n]} ascending frame indices
     */
    public static long[] uniform(long total, int n) {
        if (total <= 0 || n <= 0) {
            throw new IllegalArgumentException("need total > 0 and n > 0: " + total + ", " + n);
        }
        long[] out = new long[n];
        if (n == 1) {
            return out;
        }
        double step = (double) (total - 1) / (n - 1);
        for (int i = 0; i < n; i++) {
            out[i] = (long) (i * step);
        }
        out[n - 1] = total - 1;
        return out;
    }

    /**
     * Frames at a fixed rate: for each tick {@code k / fps} seconds, the first frame at or after it; a frame is
     * taken at most once (after a gap in a variable-rate video, the ticks inside the gap are skipped). Decided frame
     * by frame with {@link RateTicker}, exactly as the live mode decides.
     *
     * @param micros {@code [frames]} presentation times, ascending
     * @return ascending indices into {@code micros}
     */
    public static int[] atRate(long[] micros, double fps) {
        RateTicker ticker = new RateTicker(fps);
        int[] picked = new int[micros.length];
        int count = 0;
        for (int i = 0; i < micros.length; i++) {
            if (ticker.accept(micros[i])) {
                picked[count++] = i;
            }
        }
        return java.util.Arrays.copyOf(picked, count);
    }
}

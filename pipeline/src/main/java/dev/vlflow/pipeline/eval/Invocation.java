package dev.vlflow.pipeline.eval;

/**
 * What one invocation of a run did (a resumed run skips videos already logged).
 *
 * @param questions      questions answered
 * @param videos         videos evaluated
 * @param prefixPrefills video prefixes prefilled, counted where the evaluator calls {@code appendFrames}
 * @param evalSeconds    from the first video's start to the last video's end: evaluation only, without job
 *                       start-up and model loading (what questions per minute is measured over)
 * @param wallSeconds    the whole invocation, start-up and model loading included
 */
public record Invocation(int questions, int videos, int prefixPrefills, double evalSeconds, double wallSeconds) {

    public static final Invocation NONE = new Invocation(0, 0, 0, 0, 0);

    /** Questions per minute of evaluation time (0 when nothing ran). */
    public double questionsPerMinute() {
        return evalSeconds <= 0 ? 0 : questions * 60.0 / evalSeconds;
    }

    public Invocation withWallSeconds(double seconds) {
        return new Invocation(questions, videos, prefixPrefills, evalSeconds, seconds);
    }

    /** Accumulates finished videos, keeping the span from the first start to the last end. */
    static final class Builder {
        private int questions;
        private int videos;
        private int prefills;
        private long firstStart = Long.MAX_VALUE;
        private long lastEnd = Long.MIN_VALUE;

        void add(VideoOutcome.Answered a) {
            questions += a.predictions().size();
            videos++;
            prefills += a.prefixPrefills();
            firstStart = Math.min(firstStart, a.startMillis());
            lastEnd = Math.max(lastEnd, a.endMillis());
        }

        Invocation build(double wallSeconds) {
            double span = videos == 0 ? 0 : (lastEnd - firstStart) / 1e3;
            return new Invocation(questions, videos, prefills, span, wallSeconds);
        }
    }
}

package dev.vlflow.connectors.videomme;

import java.util.Locale;

/**
 * Correct and answered counts of a group of questions.
 *
 * @param correct  questions whose extracted letter equals the answer
 * @param answered questions in the denominator (the rule decides which)
 */
public record Tally(int correct, int answered) {

    public static final Tally ZERO = new Tally(0, 0);

    public Tally {
        if (correct < 0 || answered < correct) {
            throw new IllegalArgumentException("need 0 <= correct <= answered, got " + correct + "/" + answered);
        }
    }

    public Tally plus(Tally o) {
        return new Tally(correct + o.correct, answered + o.answered);
    }

    /** Accuracy in percent; 0 when nothing was answered (as both reference scorers print). */
    public double percent() {
        return answered == 0 ? 0 : 100.0 * correct / answered;
    }

    /** The reference scorers' format, {@code xx.x%}. */
    public String formatted() {
        return String.format(Locale.ROOT, "%.1f%%", percent());
    }
}

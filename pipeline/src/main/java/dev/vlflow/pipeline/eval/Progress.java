package dev.vlflow.pipeline.eval;

import java.io.PrintStream;
import java.util.Locale;

/** One line per finished video on a stream (stderr by default): count, rate, running accuracy, failures. */
public final class Progress {

    private final PrintStream out;
    private final int videos;
    private final long start = System.nanoTime();
    private int done;
    private int questions;
    private int correct;
    private int answered;
    private int failed;

    public Progress(PrintStream out, int videos, int questionsTodo, int alreadyLogged) {
        this.out = out;
        this.videos = videos;
        out.printf(Locale.ROOT, "eval: %d videos (%d questions) to evaluate, %d questions already in the log%n",
                videos, questionsTodo, alreadyLogged);
    }

    public synchronized void videoDone(VideoOutcome outcome) {
        done++;
        if (outcome instanceof VideoOutcome.Answered a) {
            for (Prediction p : a.predictions()) {
                questions++;
                if (p.extracted().isPresent()) {
                    answered++;
                    correct += p.correct() ? 1 : 0;
                }
            }
        } else if (outcome instanceof VideoOutcome.Failed f) {
            failed++;
            out.printf(Locale.ROOT, "eval: video %s failed: %s%n", f.videoId(), f.reason());
        }
        double minutes = (System.nanoTime() - start) / 6e10;
        out.printf(Locale.ROOT, "eval: [%d/%d videos] %d questions, %.1f q/min, accuracy %.1f%% (official, %d/%d)%s%n",
                done, videos, questions, minutes > 0 ? questions / minutes : 0,
                answered == 0 ? 0 : 100.0 * correct / answered, correct, answered,
                failed > 0 ? ", " + failed + " failed" : "");
    }
}

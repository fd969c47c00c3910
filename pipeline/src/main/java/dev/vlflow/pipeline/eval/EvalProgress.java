package dev.vlflow.pipeline.eval;

import dev.vlflow.pipeline.progress.Progress;
import dev.vlflow.pipeline.progress.ProgressDisplay;
import java.io.PrintStream;
import java.util.Locale;

/**
 * The evaluation's progress on a stream (stderr by default): a header line, then per finished video either one line
 * (count, rate, running accuracy, failures) or, where a bar is drawn, a step of the bar carrying the same figures.
 * Failures always get their own line.
 */
final class EvalProgress implements AutoCloseable {

    private final PrintStream out;
    private final Progress bar;
    private final int videos;
    private final long start = System.nanoTime();
    private int done;
    private int questions;
    private int correct;
    private int answered;
    private int failed;

    EvalProgress(PrintStream out, ProgressDisplay display, int videos, int questionsTodo, int alreadyLogged) {
        this.out = out;
        this.videos = videos;
        out.printf(Locale.ROOT, "eval: %d videos (%d questions) to evaluate, %d questions already in the log%n",
                videos, questionsTodo, alreadyLogged);
        this.bar = display.start("eval", videos, "videos");
    }

    synchronized void videoDone(VideoOutcome outcome) {
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
            out.printf(Locale.ROOT, "%seval: video %s failed: %s%n", bar.drawsBar() ? "\n" : "", f.videoId(),
                    f.reason());
        }
        double minutes = (System.nanoTime() - start) / 6e10;
        String figures = String.format(Locale.ROOT, "%d questions, %.1f q/min, accuracy %.1f%% (official, %d/%d)%s",
                questions, minutes > 0 ? questions / minutes : 0, answered == 0 ? 0 : 100.0 * correct / answered,
                correct, answered, failed > 0 ? ", " + failed + " failed" : "");
        if (bar.drawsBar()) {
            bar.message(String.format(Locale.ROOT, "%d q, accuracy %.1f%%%s", questions,
                    answered == 0 ? 0 : 100.0 * correct / answered, failed > 0 ? ", " + failed + " failed" : ""));
            bar.step();
        } else {
            out.printf(Locale.ROOT, "eval: [%d/%d videos] %s%n", done, videos, figures);
        }
    }

    @Override
    public synchronized void close() {
        bar.close();
    }
}

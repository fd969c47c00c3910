package dev.vlflow.pipeline.progress;

import me.tongfei.progressbar.ProgressBar;

/** A progress bar of the {@code me.tongfei:progressbar} library: percentage, count, rate, elapsed time and ETA. */
final class TerminalBar implements Progress {

    private final ProgressBar bar;
    private boolean closed;

    TerminalBar(ProgressBar bar) {
        this.bar = bar;
    }

    @Override
    public synchronized void step() {
        bar.step();
    }

    @Override
    public synchronized void message(String text) {
        bar.setExtraMessage(text);
    }

    @Override
    public boolean drawsBar() {
        return true;
    }

    @Override
    public synchronized void close() {
        if (!closed) { // the library draws the final state again on every close
            closed = true;
            bar.close();
        }
    }
}

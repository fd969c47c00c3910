package dev.vlflow.pipeline.progress;

/**
 * Progress of one long run in units of work (videos, decoding rounds): a bar with rate and ETA on a terminal, or
 * nothing. Made by {@link ProgressDisplay#start}; closed when the run ends (a bar then draws its last state).
 * Thread-safe: evaluation threads may step it at once.
 */
public sealed interface Progress extends AutoCloseable permits Progress.Off, TerminalBar {

    /** One unit done. */
    void step();

    /** Short figures drawn beside the bar (running accuracy, failures); nothing without a bar. */
    void message(String text);

    /** Whether a bar is drawn; without one the caller's textual progress lines are the only progress shown. */
    boolean drawsBar();

    @Override
    void close();

    /** No bar (stderr is not a terminal, {@code --json}, tests): every call does nothing. */
    record Off() implements Progress {

        @Override
        public void step() {
        }

        @Override
        public void message(String text) {
        }

        @Override
        public boolean drawsBar() {
            return false;
        }

        @Override
        public void close() {
        }
    }
}

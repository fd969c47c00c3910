package dev.vlflow.pipeline.progress;

import java.io.IOException;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Optional;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.jline.terminal.spi.SystemStream;
import org.jline.terminal.spi.TerminalProvider;

/**
 * Whether a command's long runs draw progress bars: chosen once per command, by {@link #auto()} (bars only when
 * stderr is a terminal), or {@link #none()} (with {@code --json}). Without bars the runs print their textual progress
 * lines, if they have any, as before.
 */
public sealed interface ProgressDisplay permits ProgressDisplay.None, ProgressDisplay.Bars {

    /** The system property that turns bars off ({@code off}) or leaves the choice to {@link #auto()} ({@code auto}). */
    String PROPERTY = "vlflow.progress";

    /** A progress of {@code total} units of {@code unit} (e.g. "videos") named {@code task}. */
    Progress start(String task, long total, String unit);

    /** Bars when stdin, stdout and stderr are a terminal and {@value #PROPERTY} is not {@code off}; otherwise none. */
    static ProgressDisplay auto() {
        String setting = System.getProperty(PROPERTY, "auto").toLowerCase(Locale.ROOT);
        return switch (setting) {
            case "off" -> none();
            case "auto" -> stderrIsTerminal() ? new Bars(Optional.empty()) : none();
            default -> throw new IllegalArgumentException("-D" + PROPERTY + " must be auto or off, not " + setting);
        };
    }

    static ProgressDisplay none() {
        return new None();
    }

    /**
     * {@link System#console()} is null unless stdin and stdout are a terminal; jline's detection (the library the bar
     * draws with) then asks whether stderr, where bars go, is one too.
     */
    private static boolean stderrIsTerminal() {
        if (System.console() == null) {
            return false;
        }
        try {
            return TerminalProvider.load("exec").isSystemStream(SystemStream.Error);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** No bars. */
    record None() implements ProgressDisplay {
        @Override
        public Progress start(String task, long total, String unit) {
            return new Progress.Off();
        }
    }

    /**
     * Bars drawn by the library on stderr (its terminal detection picks the drawing), or on {@code stream} (ASCII,
     * 100 columns, carriage returns only: tests and other consumers).
     */
    record Bars(Optional<PrintStream> stream) implements ProgressDisplay {

        static final int STREAM_WIDTH = 100;

        public Bars {
            java.util.Objects.requireNonNull(stream, "stream");
        }

        @Override
        public Progress start(String task, long total, String unit) {
            ProgressBarBuilder builder = new ProgressBarBuilder().setTaskName(task).setInitialMax(total)
                    .setUnit(" " + unit, 1).setUpdateIntervalMillis(500);
            stream.ifPresent(s -> builder.setStyle(ProgressBarStyle.ASCII)
                    .setConsumer(new ConsoleProgressBarConsumer(s, STREAM_WIDTH)));
            return new TerminalBar(builder.build());
        }
    }
}

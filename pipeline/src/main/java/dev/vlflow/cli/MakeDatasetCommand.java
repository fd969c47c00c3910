package dev.vlflow.cli;

import dev.vlflow.pipeline.dataset.SyntheticVideoMme;
import dev.vlflow.pipeline.progress.ProgressDisplay;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code vlflow make-dataset}: data sets the project generates itself. */
@Command(name = "make-dataset", mixinStandardHelpOptions = true, description = "Generate a data set.",
        subcommands = {MakeDatasetCommand.VideoMmeSynthetic.class})
final class MakeDatasetCommand {

    /** {@code vlflow make-dataset videomme-synthetic}. */
    @Command(name = "videomme-synthetic", mixinStandardHelpOptions = true,
            description = "Synthetic videos of moving shapes (known colours, counts, directions, order) with 3"
                    + " four-choice questions each, in both Video-MME annotation formats, with sentence answers and"
                    + " subtitles for every third video. Durations cycle short 4-8 s, medium 10-16 s, long 20-30 s.")
    static final class VideoMmeSynthetic implements Callable<Integer> {

        @Option(names = "--out", required = true, description = "output directory")
        Path out;

        @Option(names = "--videos", required = true, description = "number of videos")
        int videos;

        @Option(names = "--seed", defaultValue = "0", description = "random seed (same seed: same set)")
        long seed;

        @Option(names = "--size", defaultValue = "128", description = "frame width and height in pixels (even)")
        int size;

        @Option(names = "--fps", defaultValue = "8", description = "frame rate")
        double fps;

        @Override
        public Integer call() {
            long start = System.nanoTime();
            SyntheticVideoMme.Written w = SyntheticVideoMme.write(out, videos, seed,
                    new SyntheticVideoMme.Format(size, size, fps), ProgressDisplay.auto());
            System.out.printf(Locale.ROOT, "wrote %d videos, %d questions in %.1f s:%n  %s%n  %s%n  %s%n",
                    w.scenes().size(), w.annotations().questionCount(), (System.nanoTime() - start) / 1e9,
                    w.officialJson(), w.parquet(), out.resolve("video"));
            return 0;
        }
    }
}

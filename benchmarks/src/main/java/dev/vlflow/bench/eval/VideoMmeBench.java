package dev.vlflow.bench.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vlflow.connectors.videomme.PromptStyle;
import dev.vlflow.engine.VlModel;
import dev.vlflow.pipeline.dataset.SyntheticVideoMme;
import dev.vlflow.pipeline.eval.EvalOptions;
import dev.vlflow.pipeline.eval.EvalReport;
import dev.vlflow.pipeline.eval.EvalRequest;
import dev.vlflow.pipeline.eval.PlainEvalRunner;
import dev.vlflow.pipeline.eval.RunResult;
import dev.vlflow.pipeline.eval.VisionFrameSamplers;
import dev.vlflow.pipeline.progress.ProgressDisplay;
import dev.vlflow.pipeline.stream.ConsoleLogging;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code vlflow bench videomme}: Video-MME questions per minute with prefix sharing (prefill each video once,
 * answer on forks) against without (prefill the video again for every question), same model loaded once, same
 * videos, measured in one run; the answers must agree.
 */
@Command(name = "videomme", mixinStandardHelpOptions = true,
        description = "Questions per minute on the synthetic Video-MME set with and without prefix sharing.")
public final class VideoMmeBench implements Callable<Integer> {

    @Option(names = "--model", required = true, description = "checkpoint directory")
    Path model;

    @Option(names = "--data", description = "a synthetic set made by make-dataset (default: make one in --out)")
    Path data;

    @Option(names = "--videos", defaultValue = "3", description = "videos when the set is made here")
    int videos;

    @Option(names = "--frames", defaultValue = "8", description = "frames per video (default: ${DEFAULT-VALUE})")
    int frames;

    @Option(names = "--limit", description = "only the first N questions")
    Integer limit;

    @Option(names = "--out", defaultValue = "bench-videomme", description = "runs and the comparison report")
    Path out;

    @Option(names = "--json", description = "end with one line: the JSON figures")
    boolean json;

    @Override
    public Integer call() throws Exception {
        ConsoleLogging.configure();
        Path set = data != null ? data : SyntheticVideoMme.write(out.resolve("data"), videos, 0,
                SyntheticVideoMme.Format.defaults()).dir();
        RunResult shared;
        RunResult unshared;
        try (VlModel m = VlModel.load(model)) {
            shared = run(m, set, "shared", true);
            unshared = run(m, set, "unshared", false);
        }
        new EvalReport(List.of(shared, unshared)).write(out);
        double ratio = shared.stats().questionsPerMinute() / unshared.stats().questionsPerMinute();
        boolean same = shared.predictions().stream().map(p -> p.questionId() + "=" + p.response()).toList()
                .equals(unshared.predictions().stream().map(p -> p.questionId() + "=" + p.response()).toList());
        System.out.printf(Locale.ROOT, "%-28s %14s %14s%n", "", "prefix shared", "not shared");
        row("questions", shared.predictions().size(), unshared.predictions().size());
        row("prefix prefills", shared.stats().thisRun().prefixPrefills(), unshared.stats().thisRun().prefixPrefills());
        System.out.printf(Locale.ROOT, "%-28s %14.1f %14.1f%n", "evaluation time (s)",
                shared.stats().thisRun().evalSeconds(), unshared.stats().thisRun().evalSeconds());
        System.out.printf(Locale.ROOT, "%-28s %14.2f %14.2f%n", "questions per minute",
                shared.stats().questionsPerMinute(), unshared.stats().questionsPerMinute());
        System.out.printf(Locale.ROOT, "%-28s %14.1f %14.1f%n", "prefix prefill time (s)",
                shared.stats().prefixSeconds(), unshared.stats().prefixSeconds());
        System.out.printf(Locale.ROOT, "%-28s %14.0f %14.0f%n", "mean context tokens",
                shared.stats().meanContextTokens(), unshared.stats().meanContextTokens());
        System.out.printf(Locale.ROOT, "speed-up from prefix sharing: %.2fx; answers identical: %s%n", ratio, same);
        System.out.println("report: " + out.resolve("report.md"));
        if (json) {
            ObjectNode o = new ObjectMapper().createObjectNode();
            o.put("model", model.getFileName().toString());
            o.put("frames", frames);
            o.put("questions", shared.predictions().size());
            o.put("videos", shared.stats().thisRun().videos());
            o.put("questions_per_minute_shared", round(shared.stats().questionsPerMinute()));
            o.put("questions_per_minute_unshared", round(unshared.stats().questionsPerMinute()));
            o.put("speedup", round(ratio));
            o.put("prefix_prefills_shared", shared.stats().thisRun().prefixPrefills());
            o.put("prefix_prefills_unshared", unshared.stats().thisRun().prefixPrefills());
            o.put("mean_context_tokens", round(shared.stats().meanContextTokens()));
            o.put("answers_identical", same);
            System.out.println(o);
        }
        return 0;
    }

    private RunResult run(VlModel m, Path set, String name, boolean sharing) throws Exception {
        Path runOut = out.resolve(name);
        EvalRequest request = new EvalRequest(set.resolve("videomme.json"), set.resolve("video"), Optional.empty(),
                model, new EvalOptions(frames, false, PromptStyle.OFFICIAL, sharing, 16),
                limit == null ? OptionalInt.empty() : OptionalInt.of(limit), runOut, 1,
                Optional.of(name + " " + frames + "f"), java.util.Set.of(),
                EvalRequest.ExistingRun.OVERWRITE); // a benchmark measures a fresh run
        return new PlainEvalRunner(new VisionFrameSamplers(), System.err,
                json ? ProgressDisplay.none() : ProgressDisplay.auto()).run(request, m);
    }

    private static void row(String name, long a, long b) {
        System.out.printf(Locale.ROOT, "%-28s %14d %14d%n", name, a, b);
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}

package dev.vlflow.pipeline.eval;

import dev.vlflow.connectors.videomme.VideoMmeFiles;
import dev.vlflow.connectors.videomme.VideoMmeVideo;
import dev.vlflow.engine.VlModel;
import dev.vlflow.pipeline.progress.ProgressDisplay;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The evaluation on plain Java threads over the engine API: one shared model, {@code parallelism} videos at once,
 * each video's predictions logged as soon as it is done.
 */
public final class PlainEvalRunner {

    private final FrameSamplerFactory samplers;
    private final PrintStream progressOut;
    private final ProgressDisplay display;

    /** Progress as lines on {@code progressOut}, no bar. */
    public PlainEvalRunner(FrameSamplerFactory samplers, PrintStream progressOut) {
        this(samplers, progressOut, ProgressDisplay.none());
    }

    /** Progress on {@code progressOut}: a header line, then a bar per {@code display} or one line per video. */
    public PlainEvalRunner(FrameSamplerFactory samplers, PrintStream progressOut, ProgressDisplay display) {
        this.samplers = samplers;
        this.progressOut = progressOut;
        this.display = display;
    }

    /** Runs on an already loaded model (the caller owns it). */
    public RunResult run(EvalRequest request, VlModel model) {
        try (EvalPlan plan = EvalPlan.open(request);
             EvalProgress progress = new EvalProgress(progressOut, display, plan.todo().size(), plan.todoQuestions(),
                     plan.log().predictions().size())) {
            VideoEvaluator evaluator = new VideoEvaluator(model, samplers.create(model),
                    new VideoMmeFiles(request.videos(), request.subtitleDir()), request.options());
            Tracker tracker = new Tracker(plan, progress);
            long start = System.nanoTime();
            ExecutorService pool = Executors.newFixedThreadPool(request.parallelism());
            try {
                List<Future<?>> futures = new ArrayList<>();
                for (VideoMmeVideo v : plan.todo()) {
                    futures.add(pool.submit(() -> tracker.record(evaluator.evaluate(v))));
                }
                for (Future<?> f : futures) {
                    f.get();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("evaluation interrupted", e);
            } catch (ExecutionException e) {
                throw new IllegalStateException("evaluation failed: " + e.getCause().getMessage(), e.getCause());
            } finally {
                pool.shutdownNow();
            }
            progress.close(); // the bar's last state before the outputs' lines
            Invocation done = tracker.invocation((System.nanoTime() - start) / 1e9);
            return EvalOutputs.write(plan, request.settings("plain"), request.out(), done, tracker.failures());
        }
    }
}

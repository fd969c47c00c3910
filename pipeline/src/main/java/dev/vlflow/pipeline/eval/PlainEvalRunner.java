package dev.vlflow.pipeline.eval;

import dev.vlflow.connectors.videomme.VideoMmeFiles;
import dev.vlflow.connectors.videomme.VideoMmeVideo;
import dev.vlflow.engine.VlModel;
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

    public PlainEvalRunner(FrameSamplerFactory samplers, PrintStream progressOut) {
        this.samplers = samplers;
        this.progressOut = progressOut;
    }

    /** Runs on an already loaded model (the caller owns it). */
    public RunResult run(EvalRequest request, VlModel model) {
        try (EvalPlan plan = EvalPlan.open(request)) {
            VideoEvaluator evaluator = new VideoEvaluator(model, samplers.create(model),
                    new VideoMmeFiles(request.videos(), request.subtitleDir()), request.options());
            Tracker tracker = new Tracker(plan, new Progress(progressOut, plan.todo().size(), plan.todoQuestions(),
                    plan.log().predictions().size()));
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
            Invocation done = tracker.invocation((System.nanoTime() - start) / 1e9);
            return EvalOutputs.write(plan, request.settings("plain"), request.out(), done, tracker.failures());
        }
    }
}

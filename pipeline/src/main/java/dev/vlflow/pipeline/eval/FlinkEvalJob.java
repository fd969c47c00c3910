package dev.vlflow.pipeline.eval;

import dev.vlflow.pipeline.progress.ProgressDisplay;
import java.io.PrintStream;
import java.util.List;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;

/**
 * The evaluation as a bounded Flink job on an embedded MiniCluster with {@code parallelism} slots:
 * <pre>
 *   videos to do (bounded) ─► rebalance ─► evaluate video (parallelism = slots; model per TaskManager) ─► collect
 * </pre>
 * The client logs each video's predictions as its outcome arrives, so progress shows while the job runs and a
 * killed run resumes where it stopped.
 */
public final class FlinkEvalJob {

    private final FrameSamplerFactory samplers;
    private final PrintStream progressOut;
    private final ProgressDisplay display;

    /** Progress as lines on {@code progressOut}, no bar. */
    public FlinkEvalJob(FrameSamplerFactory samplers, PrintStream progressOut) {
        this(samplers, progressOut, ProgressDisplay.none());
    }

    /** Progress on {@code progressOut}: a header line, then a bar per {@code display} or one line per video. */
    public FlinkEvalJob(FrameSamplerFactory samplers, PrintStream progressOut, ProgressDisplay display) {
        this.samplers = samplers;
        this.progressOut = progressOut;
        this.display = display;
    }

    public RunResult run(EvalRequest request) throws Exception {
        try (EvalPlan plan = EvalPlan.open(request);
             EvalProgress progress = new EvalProgress(progressOut, display, plan.todo().size(), plan.todoQuestions(),
                     plan.log().predictions().size())) {
            Tracker tracker = new Tracker(plan, progress);
            long start = System.nanoTime();
            if (!plan.todo().isEmpty()) {
                run(request, plan, tracker);
            }
            progress.close(); // the bar's last state before the outputs' lines
            Invocation done = tracker.invocation((System.nanoTime() - start) / 1e9);
            return EvalOutputs.write(plan, request.settings("flink"), request.out(), done, tracker.failures());
        }
    }

    private void run(EvalRequest request, EvalPlan plan, Tracker tracker) throws Exception {
        int parallelism = request.parallelism();
        Configuration conf = new Configuration();
        conf.set(TaskManagerOptions.NUM_TASK_SLOTS, parallelism);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(parallelism, conf);
        env.setRuntimeMode(RuntimeExecutionMode.STREAMING);
        List<String> videos = plan.todo().stream().map(FlinkElements::video).toList();
        DataStream<String> outcomes = env.fromData(videos).name("/eval/videos").setParallelism(1)
                .rebalance()
                .flatMap(new EvaluateVideoFunction(request, samplers)).name("/eval/evaluate-video")
                .uid("vlflow.eval.evaluate-video").setParallelism(parallelism);
        try (CloseableIterator<String> it = outcomes.executeAndCollect("vlflow eval videomme")) {
            while (it.hasNext()) {
                tracker.record(FlinkElements.outcome(it.next()));
            }
        }
    }
}

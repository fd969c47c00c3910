package dev.vlflow.pipeline.eval;

import java.util.ArrayList;
import java.util.List;

/** Takes finished videos from any runner: logs their predictions, counts them, shows progress. Thread-safe. */
final class Tracker {

    private final EvalPlan plan;
    private final EvalProgress progress;
    private final List<String> failures = new ArrayList<>();
    private final Invocation.Builder invocation = new Invocation.Builder();

    Tracker(EvalPlan plan, EvalProgress progress) {
        this.plan = plan;
        this.progress = progress;
    }

    synchronized void record(VideoOutcome outcome) {
        if (outcome instanceof VideoOutcome.Answered a) {
            plan.log().append(a.predictions());
            invocation.add(a);
        } else if (outcome instanceof VideoOutcome.Failed f) {
            failures.add(f.videoId() + ": " + f.reason());
        }
        progress.videoDone(outcome);
    }

    /** This invocation's counts, with its whole wall time. */
    synchronized Invocation invocation(double wallSeconds) {
        return invocation.build(wallSeconds);
    }

    synchronized List<String> failures() {
        return List.copyOf(failures);
    }
}

package dev.vlflow.pipeline.eval;

import dev.vlflow.conf.ModelSpec;
import dev.vlflow.connectors.videomme.VideoMmeFiles;
import dev.vlflow.operators.model.ModelLease;
import dev.vlflow.operators.model.SharedModels;
import java.nio.file.Path;
import java.util.Optional;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichFlatMapFunction;
import org.apache.flink.util.Collector;

/**
 * The job's worker: one video in, its outcome out. Holds only a serializable descriptor; the model (one per
 * TaskManager, shared by its slots through the operators' {@link SharedModels}) and the evaluator are made in
 * {@link #open} and released in {@link #close}.
 */
final class EvaluateVideoFunction extends RichFlatMapFunction<String, String> {

    private static final long serialVersionUID = 1L;

    private final ModelSpec model;
    private final String videoDir;
    private final String subtitleDir; // null: next to the videos or in a sibling subtitle/
    private final EvalOptions options;
    private final FrameSamplerFactory samplers;

    private transient ModelLease lease;
    private transient VideoEvaluator evaluator;

    EvaluateVideoFunction(EvalRequest request, FrameSamplerFactory samplers) {
        this.model = request.options().modelSpec(request.model().toAbsolutePath().normalize().toString());
        this.videoDir = request.videos().toAbsolutePath().toString();
        this.subtitleDir = request.subtitleDir().map(p -> p.toAbsolutePath().toString()).orElse(null);
        this.options = request.options();
        this.samplers = samplers;
    }

    @Override
    public void open(OpenContext context) {
        lease = SharedModels.acquire(model);
        VideoMmeFiles files = new VideoMmeFiles(Path.of(videoDir), Optional.ofNullable(subtitleDir).map(Path::of));
        evaluator = new VideoEvaluator(lease.model(), samplers.create(lease.model()), files, options);
    }

    @Override
    public void flatMap(String video, Collector<String> out) {
        out.collect(FlinkElements.outcome(evaluator.evaluate(FlinkElements.video(video))));
    }

    @Override
    public void close() {
        if (lease != null) {
            lease.close();
            lease = null;
        }
    }
}

package dev.vlflow.operators.frames;

import dev.vlflow.conf.ModelSpec;
import dev.vlflow.connectors.events.DeadLetters;
import dev.vlflow.connectors.events.ErrorKind;
import dev.vlflow.engine.FrameEmbeddings;
import dev.vlflow.engine.VlModel;
import dev.vlflow.operators.model.ModelLease;
import dev.vlflow.operators.model.SharedModels;
import java.util.Optional;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Encodes a segment's frames with the model's vision tower, projector and pooling. The model is the TaskManager's
 * shared one ({@link SharedModels}), leased in {@code open()} and released in {@code close()}. A segment without
 * frames passes through empty; one that fails to encode goes to the dead letters and passes on empty, so the
 * session still sees it done.
 */
public final class EncodeFrames extends ProcessFunction<SegmentFrames, SegmentEmbeddings> {

    private static final long serialVersionUID = 1L;

    private final ModelSpec modelSpec;
    private final String stage;
    private transient ModelLease lease;

    /** @param stage hierarchical operator name reported in dead letters, e.g. {@code /job/encode} */
    public EncodeFrames(ModelSpec model, String stage) {
        this.modelSpec = model;
        this.stage = stage;
    }

    @Override
    public void open(OpenContext context) {
        lease = SharedModels.acquire(modelSpec);
    }

    @Override
    public void close() {
        if (lease != null) {
            lease.close();
        }
    }

    @Override
    public void processElement(SegmentFrames segment, Context ctx, Collector<SegmentEmbeddings> out) {
        VlModel model = lease.model();
        int tokensPerFrame = model.config().vision().tokensPerFrame();
        int hidden = model.config().text().hiddenSize();
        if (segment.frames() > 0) {
            try {
                FrameEmbeddings e = model.encodeFrames(segment.pixels(), segment.frames());
                out.collect(new SegmentEmbeddings(segment.streamId(), segment.sequence(), e.frames(),
                        e.tokensPerFrame(), e.hidden(), e.rows()));
                return;
            } catch (RuntimeException e) {
                ctx.output(DeadLetters.TAG, DeadLetters.error(ErrorKind.INTERNAL, stage,
                        Optional.of(segment.streamId()), "encoding failed: " + e.getMessage(),
                        segment.streamId() + "#" + segment.sequence()));
            }
        }
        out.collect(new SegmentEmbeddings(segment.streamId(), segment.sequence(), 0, tokensPerFrame, hidden,
                new float[0]));
    }
}

package dev.vlflow.operators.frames;

import dev.vlflow.conf.InputSpec;
import dev.vlflow.conf.ModelSpec;
import dev.vlflow.conf.VideoSpec;
import dev.vlflow.connectors.events.DeadLetters;
import dev.vlflow.connectors.events.ErrorKind;
import dev.vlflow.connectors.events.VideoSegment;
import dev.vlflow.vision.VideoException;
import dev.vlflow.vision.preprocess.Preprocessor;
import dev.vlflow.vision.preprocess.ResizeMethod;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Optional;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Decodes and samples a segment's frames, preprocessed as the model's processor config says and resized as
 * {@code vlflow.video.resize} chooses (keyed by stream, so a stream's segments stay in order). Every video is opened
 * under the job's input limits ({@link InputLimits}): file roots, hosts, caps. A segment that cannot be read or is
 * refused goes to the dead letters and passes on with no
 * frames, so the session knows it is done and questions waiting for it are answered.
 */
public final class SampleFrames extends KeyedProcessFunction<String, VideoSegment, SegmentFrames> {

    private static final long serialVersionUID = 1L;

    private final ModelSpec model;
    private final VideoSpec video;
    private final InputSpec input;
    private final String stage;
    private transient SegmentReader reader;
    private transient int frameSize;

    /** @param stage hierarchical operator name reported in dead letters, e.g. {@code /job/sample} */
    public SampleFrames(ModelSpec model, VideoSpec video, InputSpec input, String stage) {
        this.model = model;
        this.video = video;
        this.input = input;
        this.stage = stage;
        InputLimits.videoLimits(input); // a limit that cannot hold fails when the job is built
    }

    @Override
    public void open(OpenContext context) {
        try {
            Preprocessor preprocessor = Preprocessor.forModel(Path.of(model.path()),
                    ResizeMethod.parse(video.resize()));
            frameSize = preprocessor.outputHeight(1);
            reader = new SegmentReader(preprocessor, InputLimits.videoLimits(input));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the processor config of " + model.path(), e);
        }
    }

    @Override
    public void processElement(VideoSegment segment, Context ctx, Collector<SegmentFrames> out) {
        String reference = segment.getStreamId() + "#" + segment.getSequence() + " "
                + (segment.getUri() != null ? segment.getUri() : "(inline bytes)");
        try {
            out.collect(reader.read(segment, video.frames(segment.getFrames())));
            return;
        } catch (VideoException e) {
            deadLetter(ctx, InputLimits.deadLetterKind(e), segment, e.getMessage(), reference);
        } catch (IllegalArgumentException e) {
            deadLetter(ctx, ErrorKind.MALFORMED_RECORD, segment, e.getMessage(), reference);
        } catch (IOException | RuntimeException e) {
            deadLetter(ctx, ErrorKind.UNREADABLE_VIDEO, segment, String.valueOf(e.getMessage()), reference);
        }
        out.collect(SegmentFrames.empty(segment.getStreamId(), segment.getSequence(), Math.max(1, frameSize)));
    }

    private void deadLetter(Context ctx, ErrorKind kind, VideoSegment segment, String reason, String reference) {
        ctx.output(DeadLetters.TAG, DeadLetters.error(kind, stage, Optional.of(segment.getStreamId()), reason,
                reference));
    }
}

package dev.vlflow.operators.frames;

import dev.vlflow.connectors.events.VideoSegment;
import dev.vlflow.vision.VideoException;
import dev.vlflow.vision.VideoLimits;
import dev.vlflow.vision.VideoSource;
import dev.vlflow.vision.decode.FfmpegVideo;
import dev.vlflow.vision.decode.FrameTable;
import dev.vlflow.vision.preprocess.Preprocessor;
import dev.vlflow.vision.sampling.FrameCursor;
import dev.vlflow.vision.sampling.FrameSelection;
import dev.vlflow.vision.sampling.PlannedCursor;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Reads a segment's frames: {@code n} frames evenly spaced (lmms-eval's rule) over the frames whose presentation
 * time falls in {@code [startSeconds, endSeconds)} of the video, preprocessed for the model. The video is scanned
 * once without decoding (frame table), then only the needed frames are decoded.
 */
public final class SegmentReader {

    private final Preprocessor preprocessor;
    private final VideoLimits limits;

    public SegmentReader(Preprocessor preprocessor, VideoLimits limits) {
        this.preprocessor = preprocessor;
        this.limits = limits;
    }

    /**
     * @return [frames, 3, S, S] pixels and their timestamps
     * @throws VideoException when the video cannot be read or the range holds no frame
     */
    public SegmentFrames read(VideoSegment segment, int frames) throws VideoException, IOException {
        if (segment.getUri() != null) {
            return read(segment, VideoSource.parse(segment.getUri()), frames);
        }
        return read(segment, VideoSource.bytes(segment.getData()), frames); // read in place, no temporary file
    }

    private SegmentFrames read(VideoSegment segment, VideoSource source, int frames) throws VideoException {
        FfmpegVideo video = FfmpegVideo.open(source, limits, FfmpegVideo.Mode.BOUNDED);
        try {
            FrameTable table = FrameTable.scan(video);
            int[] targets = plan(table.allMicros(), segment, frames, source);
            if (!table.timestamped()) {
                video.close();
                video = FfmpegVideo.open(source, limits, FfmpegVideo.Mode.BOUNDED);
            }
            int height = preprocessor.outputHeight(video.info().height());
            int width = preprocessor.outputWidth(video.info().width());
            if (height != width) {
                throw new VideoException(VideoException.Kind.UNSUPPORTED_CODEC, source.describe(),
                        "frames preprocess to " + width + "x" + height + "; the model needs square frames");
            }
            int size = 3 * height * width;
            float[] pixels = new float[targets.length * size];
            long[] times = new long[targets.length];
            PlannedCursor cursor = new PlannedCursor(video, table, targets);
            int count = 0;
            Optional<FrameCursor.Position> position;
            while ((position = cursor.next()).isPresent()) {
                try (Mat rgb = video.rgb()) {
                    preprocessor.apply(rgb, pixels, count * size);
                }
                times[count++] = position.get().timestampMicros();
            }
            if (count != targets.length) {
                throw new VideoException(VideoException.Kind.TRUNCATED, source.describe(), "decoded " + count
                        + " of " + targets.length + " planned frames");
            }
            return new SegmentFrames(segment.getStreamId(), segment.getSequence(), count, height, pixels, times);
        } finally {
            video.close();
        }
    }

    /** Presentation indices of {@code n} frames evenly spaced over those inside the segment's range. */
    static int[] plan(long[] micros, VideoSegment segment, int n, VideoSource source) throws VideoException {
        long start = Math.round(segment.getStartSeconds() * 1e6);
        long end = segment.getEndSeconds() == null ? Long.MAX_VALUE : Math.round(segment.getEndSeconds() * 1e6);
        List<Integer> inside = new ArrayList<>();
        for (int p = 0; p < micros.length; p++) {
            if (micros[p] >= start && micros[p] < end) {
                inside.add(p);
            }
        }
        if (inside.isEmpty()) {
            throw new VideoException(VideoException.Kind.TRUNCATED, source.describe(), "no frame in "
                    + segment.getStartSeconds() + ".." + (segment.getEndSeconds() == null ? "end"
                    : segment.getEndSeconds()) + " s (the video has " + micros.length + " frames)");
        }
        long[] picks = FrameSelection.uniform(inside.size(), n);
        int[] targets = new int[n];
        for (int i = 0; i < n; i++) {
            targets[i] = inside.get((int) picks[i]);
        }
        return targets;
    }
}

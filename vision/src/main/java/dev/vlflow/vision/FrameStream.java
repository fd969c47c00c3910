package dev.vlflow.vision;

import dev.vlflow.vision.decode.FfmpegVideo;
import dev.vlflow.vision.preprocess.Preprocessor;
import dev.vlflow.vision.sampling.DuplicateFilter;
import dev.vlflow.vision.sampling.FrameCursor;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Optional;
import java.util.OptionalInt;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Sampled, preprocessed frames of one video, one at a time: the form for live streams (frames come out as they
 * are decoded) and what {@link VideoSampler#sample} collects. Owns the decoder: close it (try-with-resources) to
 * release the native resources, also when stopping early. Not thread-safe.
 */
public final class FrameStream implements AutoCloseable {

    private final FfmpegVideo video;
    private final FrameCursor cursor;
    private final Preprocessor preprocessor;
    private final DuplicateFilter duplicates;
    private final Dedup rule;
    private final VideoInfo info;
    private final int height;
    private final int width;
    private int candidates;
    private long[] dropped = new long[8];
    private int droppedCount;

    FrameStream(FfmpegVideo video, FrameCursor cursor, Preprocessor preprocessor, Dedup rule, VideoInfo info) {
        this.video = video;
        this.cursor = cursor;
        this.preprocessor = preprocessor;
        this.rule = rule;
        this.duplicates = new DuplicateFilter(rule);
        this.info = info;
        this.height = preprocessor.outputHeight(info.height());
        this.width = preprocessor.outputWidth(info.width());
    }

    /** Where one frame landed, for {@link VideoSampler#sample}. */
    record Placed(long timestampMicros, long sourceFrameIndex) {
    }

    /** The video being read (measured frame count and duration for bounded policies). */
    public VideoInfo video() {
        return info;
    }

    /** Rows of every frame this stream returns. */
    public int frameHeight() {
        return height;
    }

    /** Columns of every frame this stream returns. */
    public int frameWidth() {
        return width;
    }

    /** How many frames the policy selected in all, before near-duplicate removal (bounded policies only). */
    public OptionalInt planned() {
        return cursor.planned();
    }

    /** The next frame, or empty at the end of the video. */
    public Optional<SampledFrame> next() throws VideoException {
        float[] pixels = new float[3 * height * width];
        Optional<Placed> placed = nextInto(pixels, 0);
        return placed.map(p -> new SampledFrame(FloatBuffer.wrap(pixels), height, width, p.timestampMicros(),
                p.sourceFrameIndex()));
    }

    /** Decodes the next kept frame into {@code out[offset ..]} ({@code [3, H, W]}). */
    Optional<Placed> nextInto(float[] out, int offset) throws VideoException {
        while (true) {
            Optional<FrameCursor.Position> position = cursor.next();
            if (position.isEmpty()) {
                return Optional.empty();
            }
            candidates++;
            try (Mat rgb = video.rgb()) {
                if (preprocessor.outputHeight(rgb.rows()) != height || preprocessor.outputWidth(rgb.cols()) != width) {
                    throw new VideoException(VideoException.Kind.CORRUPT, video.name(), "frame size changed to "
                            + rgb.cols() + "x" + rgb.rows() + " from " + info.width() + "x" + info.height()
                            + " (a processor config that resizes accepts this)");
                }
                if (duplicates.isDuplicate(rgb)) {
                    recordDropped(position.get().sourceFrameIndex());
                    continue;
                }
                preprocessor.apply(rgb, out, offset);
            }
            return Optional.of(new Placed(position.get().timestampMicros(), position.get().sourceFrameIndex()));
        }
    }

    private void recordDropped(long sourceFrame) {
        if (droppedCount == dropped.length) {
            dropped = Arrays.copyOf(dropped, droppedCount * 2);
        }
        dropped[droppedCount++] = sourceFrame;
    }

    /** What near-duplicate removal has dropped so far. */
    public DedupStats dedupStats() {
        return new DedupStats(rule, candidates, Arrays.copyOf(dropped, droppedCount));
    }

    /** Frames the decoder has produced so far, selected or not (seeking keeps this low for sparse plans). */
    public long framesDecoded() {
        return video.framesDecoded();
    }

    /**
     * Frames lost to damaged data so far: marked damaged by the decoder, or never produced because it rejected their
     * packets (live streams; bounded sampling fails on a damaged frame instead).
     */
    public int damagedFramesSkipped() {
        return cursor.damagedFramesSkipped();
    }

    @Override
    public void close() {
        video.close();
    }
}

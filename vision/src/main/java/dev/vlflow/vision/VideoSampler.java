package dev.vlflow.vision;

import dev.vlflow.vision.decode.FfmpegVideo;
import dev.vlflow.vision.decode.FrameTable;
import dev.vlflow.vision.preprocess.Preprocessor;
import dev.vlflow.vision.sampling.FrameCursor;
import dev.vlflow.vision.sampling.FrameSelection;
import dev.vlflow.vision.sampling.LiveCursor;
import dev.vlflow.vision.sampling.PlannedCursor;
import java.nio.FloatBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;

/**
 * Video in: decode, sample, preprocess.
 *
 * <pre>{@code
 * Frames frames = VideoSampler.sample(VideoSource.parse("clip.mp4"), new SamplingPolicy.Uniform(32),
 *         Preprocessor.forModel(modelDir), VideoLimits.defaults());
 * // frames.pixels(): [32, 3, 384, 384] floats for the vision tower
 * }</pre>
 *
 * For {@link SamplingPolicy.Uniform} and {@link SamplingPolicy.Fps} the video is first read once without decoding
 * ({@link FrameTable}: exact frame count and timestamps), then only the needed stretches are decoded (for a URL the
 * server must allow seeking, and the data is fetched twice). For {@link SamplingPolicy.Live}, {@link #open} returns
 * frames as the stream delivers them. Every failure is a {@link VideoException} whose kind says what was wrong.
 */
public final class VideoSampler {

    private VideoSampler() {
    }

    /** Samples a video whole. With {@link SamplingPolicy.Live}, reads until the stream ends. */
    public static Frames sample(VideoSource source, SamplingPolicy policy, Preprocessor preprocessor,
                                VideoLimits limits) throws VideoException {
        try (FrameStream stream = open(source, policy, preprocessor, limits)) {
            int size = 3 * stream.frameHeight() * stream.frameWidth();
            int capacity = stream.planned().orElse(Math.min(16, limits.maxSampledFrames()));
            float[] pixels = allocate(capacity, size);
            long[] times = new long[capacity];
            long[] indices = new long[capacity];
            int count = 0;
            while (true) {
                if (count == capacity) {
                    if (capacity >= limits.maxSampledFrames()) {
                        throw new VideoException(VideoException.Kind.TOO_MANY_FRAMES, source.describe(),
                                "more than " + limits.maxSampledFrames() + " sampled frames");
                    }
                    capacity = Math.min(limits.maxSampledFrames(), capacity * 2);
                    pixels = Arrays.copyOf(pixels, Math.multiplyExact(capacity, size));
                    times = Arrays.copyOf(times, capacity);
                    indices = Arrays.copyOf(indices, capacity);
                }
                Optional<FrameStream.Placed> placed = stream.nextInto(pixels, count * size);
                if (placed.isEmpty()) {
                    break;
                }
                times[count] = placed.get().timestampMicros();
                indices[count] = placed.get().sourceFrameIndex();
                count++;
            }
            return new Frames(FloatBuffer.wrap(pixels, 0, count * size).slice(), count, stream.frameHeight(),
                    stream.frameWidth(), Arrays.copyOf(times, count), Arrays.copyOf(indices, count),
                    stream.dedupStats(), stream.video());
        }
    }

    private static float[] allocate(int frames, int size) {
        long floats = (long) frames * size;
        if (floats > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(frames + " frames of " + size + " floats do not fit one array;"
                    + " sample fewer frames or stream them with open()");
        }
        return new float[(int) floats];
    }

    /**
     * Opens a video for sampling frame by frame. The stream owns the decoder: close it.
     *
     * @throws IllegalArgumentException when the policy asks for more frames than {@link VideoLimits#maxSampledFrames}
     */
    public static FrameStream open(VideoSource source, SamplingPolicy policy, Preprocessor preprocessor,
                                   VideoLimits limits) throws VideoException {
        int asked = policy instanceof SamplingPolicy.Uniform u ? u.frames()
                : policy instanceof SamplingPolicy.Fps f ? f.maxFrames() : 0;
        if (asked > limits.maxSampledFrames()) {
            throw new IllegalArgumentException("policy asks for up to " + asked + " frames; the limit is "
                    + limits.maxSampledFrames());
        }
        if (policy instanceof SamplingPolicy.Live live) {
            FfmpegVideo video = FfmpegVideo.open(source, limits, FfmpegVideo.Mode.LIVE);
            return new FrameStream(video, new LiveCursor(video, live.fps()), preprocessor, policy.dedup(),
                    video.info());
        }
        FfmpegVideo video = FfmpegVideo.open(source, limits, FfmpegVideo.Mode.BOUNDED);
        try {
            FrameTable table = FrameTable.scan(video);
            int[] targets = plan(policy, table);
            VideoInfo info = video.info().measured(table.frames(), Duration.ofNanos(table.durationMicros() * 1000));
            if (!table.timestamped()) {
                video.close();
                video = FfmpegVideo.open(source, limits, FfmpegVideo.Mode.BOUNDED);
            }
            FrameCursor cursor = new PlannedCursor(video, table, targets);
            return new FrameStream(video, cursor, preprocessor, policy.dedup(), info);
        } catch (VideoException | RuntimeException e) {
            video.close();
            throw e;
        }
    }

    /** Presentation indices a bounded policy selects, ascending. */
    static int[] plan(SamplingPolicy policy, FrameTable table) {
        if (policy instanceof SamplingPolicy.Uniform uniform) {
            return toInts(FrameSelection.uniform(table.frames(), uniform.frames()));
        }
        SamplingPolicy.Fps fps = (SamplingPolicy.Fps) policy;
        int[] atRate = FrameSelection.atRate(table.allMicros(), fps.fps());
        if (atRate.length > fps.maxFrames()) {
            return toInts(FrameSelection.uniform(table.frames(), fps.maxFrames()));
        }
        return atRate;
    }

    private static int[] toInts(long[] values) {
        int[] out = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = Math.toIntExact(values[i]);
        }
        return out;
    }
}

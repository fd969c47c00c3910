package dev.vlflow.vision;

import java.util.Objects;

/**
 * Which frames of a video to keep. One of three, chosen by the caller:
 * <ul>
 *   <li>{@link Uniform}: N frames evenly spaced over the whole video, indices as lmms-eval computes them,
 *       {@code np.linspace(0, total - 1, N, dtype=int)} (first and last frame included, rounded down; N above the
 *       frame count repeats frames, as decord's {@code get_batch} does).</li>
 *   <li>{@link Fps}: a frame every {@code 1/fps} seconds of presentation time (the first frame at or after each
 *       tick), at most {@code maxFrames}; a video that would give more gets {@code maxFrames} uniform frames
 *       instead, so the whole video is still covered (Qwen2-VL's rule).</li>
 *   <li>{@link Live}: the same ticks as {@link Fps}, decided as frames arrive, for streams without an end; nothing
 *       is read ahead and no frame count is needed.</li>
 * </ul>
 * Each can drop near-duplicate frames ({@link Dedup}); what was dropped is reported with the frames.
 */
public sealed interface SamplingPolicy permits SamplingPolicy.Uniform, SamplingPolicy.Fps, SamplingPolicy.Live {

    /** Near-duplicate removal applied after selection. */
    Dedup dedup();

    /** {@code frames} frames evenly spaced from the first to the last frame. */
    record Uniform(int frames, Dedup dedup) implements SamplingPolicy {
        public Uniform {
            if (frames <= 0) {
                throw new IllegalArgumentException("frames must be positive: " + frames);
            }
            Objects.requireNonNull(dedup, "dedup");
        }

        public Uniform(int frames) {
            this(frames, Dedup.off());
        }

        public Uniform withDedup(Dedup rule) {
            return new Uniform(frames, rule);
        }
    }

    /** One frame per {@code 1/fps} seconds, at most {@code maxFrames} (then uniform over the whole video). */
    record Fps(double fps, int maxFrames, Dedup dedup) implements SamplingPolicy {
        public Fps {
            if (!(fps > 0) || Double.isInfinite(fps)) {
                throw new IllegalArgumentException("fps must be positive and finite: " + fps);
            }
            if (maxFrames <= 0) {
                throw new IllegalArgumentException("maxFrames must be positive: " + maxFrames);
            }
            Objects.requireNonNull(dedup, "dedup");
        }

        public Fps(double fps, int maxFrames) {
            this(fps, maxFrames, Dedup.off());
        }

        public Fps withDedup(Dedup rule) {
            return new Fps(fps, maxFrames, rule);
        }
    }

    /** One frame per {@code 1/fps} seconds of an unbounded stream, emitted as it is decoded. */
    record Live(double fps, Dedup dedup) implements SamplingPolicy {
        public Live {
            if (!(fps > 0) || Double.isInfinite(fps)) {
                throw new IllegalArgumentException("fps must be positive and finite: " + fps);
            }
            Objects.requireNonNull(dedup, "dedup");
        }

        public Live(double fps) {
            this(fps, Dedup.off());
        }

        public Live withDedup(Dedup rule) {
            return new Live(fps, rule);
        }
    }
}

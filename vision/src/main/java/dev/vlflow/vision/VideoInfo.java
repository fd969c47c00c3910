package dev.vlflow.vision;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * What is known about a video stream. For bounded sampling the frame count and duration are measured (every packet
 * of the stream is read once before decoding); for live streams they are what the header declares, if anything.
 *
 * @param container  FFmpeg's demuxer name ({@code mov,mp4,m4a,3gp,3g2,mj2}, {@code matroska,webm}, …)
 * @param codec      the video codec's name ({@code h264}, {@code mpeg4}, …)
 * @param width      coded width in pixels
 * @param height     coded height in pixels
 * @param frameRate  average frame rate, when the stream says
 * @param frameCount number of frames (counted for bounded sampling)
 * @param duration   presentation time from the first frame to the end of the last one
 */
public record VideoInfo(String container, String codec, int width, int height, OptionalDouble frameRate,
                        OptionalLong frameCount, Optional<Duration> duration) {

    public VideoInfo {
        Objects.requireNonNull(container, "container");
        Objects.requireNonNull(codec, "codec");
        Objects.requireNonNull(frameRate, "frameRate");
        Objects.requireNonNull(frameCount, "frameCount");
        Objects.requireNonNull(duration, "duration");
    }

    /** The same stream with a measured frame count and duration. */
    public VideoInfo measured(long frames, Duration measuredDuration) {
        return new VideoInfo(container, codec, width, height, frameRate, OptionalLong.of(frames),
                Optional.of(measuredDuration));
    }
}

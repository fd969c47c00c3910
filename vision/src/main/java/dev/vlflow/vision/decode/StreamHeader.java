package dev.vlflow.vision.decode;

import static org.bytedeco.ffmpeg.global.avcodec.AVDISCARD_ALL;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_get_name;
import static org.bytedeco.ffmpeg.global.avformat.AVFMT_DURATION_FROM_BITRATE;
import static org.bytedeco.ffmpeg.global.avformat.AV_DISPOSITION_ATTACHED_PIC;
import static org.bytedeco.ffmpeg.global.avformat.av_find_best_stream;
import static org.bytedeco.ffmpeg.global.avformat.avformat_find_stream_info;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;

import dev.vlflow.vision.VideoException;
import dev.vlflow.vision.VideoException.Kind;
import dev.vlflow.vision.VideoInfo;
import dev.vlflow.vision.VideoLimits;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.javacpp.PointerPointer;

/**
 * What an opened container says about its video stream, checked: there is one, it is not a still picture, a decoder
 * exists, and its size, duration and frame count are within the {@link VideoLimits}. Other streams are set to be
 * discarded by the demuxer.
 *
 * @param streamIndex    the video stream's index in the container
 * @param info           the stream as declared
 * @param clock          the stream's time base
 * @param frameClock     one tick per nominal frame (the frame rate, or 25 fps when the stream does not say)
 * @param declaredStart  first presentation timestamp as declared (stream ticks)
 * @param declaredFrames frame count as declared, 0 when not
 */
record StreamHeader(int streamIndex, VideoInfo info, Clock clock, Clock frameClock, OptionalLong declaredStart,
                    long declaredFrames) {

    static StreamHeader read(AVFormatContext format, String name, boolean network, VideoLimits limits)
            throws VideoException {
        int error = avformat_find_stream_info(format, (PointerPointer<?>) null);
        if (error < 0) {
            throw new VideoException(network ? Kind.IO : Kind.CORRUPT, name, "stream information unreadable: "
                    + Errors.describe(error));
        }
        String container = format.iformat().name().getString();
        int index = av_find_best_stream(format, AVMEDIA_TYPE_VIDEO, -1, -1, (PointerPointer<?>) null, 0);
        if (index < 0) {
            throw new VideoException(Kind.NOT_A_VIDEO, name, "no video stream in " + container);
        }
        AVStream stream = format.streams(index);
        if ((stream.disposition() & AV_DISPOSITION_ATTACHED_PIC) != 0) {
            throw new VideoException(Kind.NOT_A_VIDEO, name, "only a still picture (cover art) in " + container);
        }
        for (int i = 0; i < format.nb_streams(); i++) {
            if (i != index) {
                format.streams(i).discard(AVDISCARD_ALL);
            }
        }
        AVCodecParameters parameters = stream.codecpar();
        String codec = avcodec_get_name(parameters.codec_id()).getString();
        if (avcodec_find_decoder(parameters.codec_id()) == null) {
            throw new VideoException(Kind.UNSUPPORTED_CODEC, name, "no decoder for codec '" + codec + "' (tag "
                    + Errors.fourcc(parameters.codec_tag()) + ")");
        }
        int width = parameters.width();
        int height = parameters.height();
        if (width <= 0 || height <= 0) {
            throw new VideoException(Kind.CORRUPT, name, "video stream declares no picture size");
        }
        checkResolution(width, height, name, limits);
        AVRational timeBase = stream.time_base();
        Clock clock = new Clock(timeBase.num(), timeBase.den());
        Optional<Duration> duration = declaredDuration(format, stream, clock);
        if (duration.isPresent() && duration.get().compareTo(limits.maxDuration()) > 0) {
            throw new VideoException(Kind.TOO_LONG, name, "declares " + duration.get() + ", over the limit of "
                    + limits.maxDuration());
        }
        long frames = Math.max(0, stream.nb_frames());
        if (frames > limits.maxFrames()) {
            throw new VideoException(Kind.TOO_MANY_FRAMES, name, "declares " + frames + " frames, over the limit of "
                    + limits.maxFrames());
        }
        AVRational rate = stream.avg_frame_rate();
        if (rate.num() <= 0 || rate.den() <= 0) {
            rate = stream.r_frame_rate();   // MPEG-TS states no average rate; FFmpeg guesses the base rate
        }
        boolean rateKnown = rate.num() > 0 && rate.den() > 0;
        VideoInfo info = new VideoInfo(container, codec, width, height,
                rateKnown ? OptionalDouble.of((double) rate.num() / rate.den()) : OptionalDouble.empty(),
                frames > 0 ? OptionalLong.of(frames) : OptionalLong.empty(), duration);
        return new StreamHeader(index, info, clock, rateKnown ? new Clock(rate.den(), rate.num()) : new Clock(1, 25),
                stream.start_time() == AV_NOPTS_VALUE ? OptionalLong.empty() : OptionalLong.of(stream.start_time()),
                frames);
    }

    /** The duration the container states; none when FFmpeg only guessed it from the bit rate. */
    private static Optional<Duration> declaredDuration(AVFormatContext format, AVStream stream, Clock clock) {
        if (format.duration_estimation_method() == AVFMT_DURATION_FROM_BITRATE) {
            return Optional.empty();
        }
        if (stream.duration() != AV_NOPTS_VALUE && stream.duration() > 0) {
            return Optional.of(Duration.ofNanos(1000 * clock.micros(stream.duration())));
        }
        if (format.duration() != AV_NOPTS_VALUE && format.duration() > 0) {
            return Optional.of(Duration.ofNanos(1000 * format.duration()));
        }
        return Optional.empty();
    }

    static void checkResolution(int width, int height, String name, VideoLimits limits) throws VideoException {
        if (width > limits.maxWidth() || height > limits.maxHeight()) {
            throw new VideoException(Kind.RESOLUTION_TOO_LARGE, name, width + "x" + height
                    + " is over the limit of " + limits.maxWidth() + "x" + limits.maxHeight());
        }
    }
}

package dev.vlflow.vision.sampling;

import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;

import dev.vlflow.vision.VideoException;
import dev.vlflow.vision.VideoException.Kind;
import dev.vlflow.vision.decode.FfmpegLog;
import dev.vlflow.vision.decode.FfmpegVideo;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Takes frames from a stream as they are decoded, one per {@code 1/fps} seconds ({@link RateTicker}); nothing is
 * read ahead. Damaged frames (packet loss on a live feed) are skipped and counted. Timestamps are microseconds from
 * the stream's declared start, or from its first frame; a frame without a timestamp gets its index divided by the
 * nominal frame rate. The duration and frame limits apply to what has been read so far. Frames lost to damaged data
 * (marked damaged, or never produced because the decoder rejected their packets) are counted, not fatal.
 */
public final class LiveCursor implements FrameCursor {

    private static final double FALLBACK_RATE = 25;

    private final FfmpegVideo video;
    private final RateTicker ticker;
    private final double nominalRate;
    private final long maxMicros;
    private long ordinal = -1;
    private long start = AV_NOPTS_VALUE;
    private int damaged;

    public LiveCursor(FfmpegVideo video, double fps) {
        this.video = video;
        this.ticker = new RateTicker(fps);
        this.nominalRate = video.info().frameRate().orElse(FALLBACK_RATE);
        this.maxMicros = video.limits().maxDuration().toNanos() / 1000;
        video.declaredStart().ifPresent(s -> start = s);
    }

    @Override
    public Optional<Position> next() throws VideoException {
        while (video.nextFrame()) {
            ordinal++;
            if (ordinal >= video.limits().maxFrames()) {
                throw new VideoException(Kind.TOO_MANY_FRAMES, video.name(), "more than "
                        + video.limits().maxFrames() + " frames");
            }
            long micros = micros(video.framePts());
            if (micros > maxMicros) {
                throw new VideoException(Kind.TOO_LONG, video.name(), "stream passed "
                        + video.limits().maxDuration() + ", the duration limit");
            }
            if (video.frameDamaged()) {
                damaged++;
                continue;
            }
            if (ticker.accept(micros)) {
                return Optional.of(new Position(micros, ordinal));
            }
        }
        checkEnd();
        return Optional.empty();
    }

    /** A network stream that fails is IO; a local file that ends early is TRUNCATED (see FrameTable). */
    private void checkEnd() throws VideoException {
        String log = FfmpegLog.drain();
        boolean endedEarly = log.contains("ended prematurely") || log.contains("partial file");
        int readError = video.lastReadError();
        if (readError != 0) {
            Kind kind = video.network() ? Kind.IO : endedEarly ? Kind.TRUNCATED : Kind.CORRUPT;
            throw new VideoException(kind, video.name(), "reading stopped after " + (ordinal + 1) + " frames (error "
                    + readError + ") " + log);
        }
        if (!video.network() && (endedEarly || video.declaredFrames() > video.packetsRead())) {
            throw new VideoException(Kind.TRUNCATED, video.name(), "the file ends after " + video.packetsRead()
                    + " frames" + (video.declaredFrames() > 0 ? " of the " + video.declaredFrames() + " declared" : "")
                    + (log.isEmpty() ? "" : " [ffmpeg: " + log + "]"));
        }
    }

    private long micros(long pts) {
        if (pts == AV_NOPTS_VALUE) {
            return Math.round(ordinal * 1e6 / nominalRate);
        }
        if (start == AV_NOPTS_VALUE) {
            start = pts;
        }
        return video.clock().micros(pts - start);
    }

    @Override
    public OptionalInt planned() {
        return OptionalInt.empty();
    }

    @Override
    public int damagedFramesSkipped() {
        return damaged + video.rejectedPackets();
    }
}

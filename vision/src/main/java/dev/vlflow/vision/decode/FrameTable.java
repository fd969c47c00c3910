package dev.vlflow.vision.decode;

import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;

import dev.vlflow.vision.VideoException;
import dev.vlflow.vision.VideoException.Kind;
import java.util.Arrays;
import org.bytedeco.ffmpeg.avcodec.AVPacket;

/**
 * Every frame of a bounded video, found by reading each packet of its stream once without decoding: the exact
 * frame count, each frame's presentation timestamp, and the keyframe to seek to for it. Sampling chooses frames from
 * this table, so "frame 117 of 900" and "the frame at 4.0 s" mean what they say even where the header's frame count
 * is missing or wrong.
 *
 * <pre>
 *   presentation index p:  0   1   2   3 ...      (sorted by pts)
 *   pts[p]                 stream time-base ticks
 *   decodePosition[p]      index of its packet in file order
 *   keyPositions[k]        file-order indices of keyframe packets, with keyPts[k] and keySeek[k]
 * </pre>
 *
 * A stream whose packets carry no timestamps at all (raw elementary streams) gets a table without them
 * ({@link #timestamped()} false): frames are then numbered in decoding order and never seeked.
 */
public final class FrameTable {

    private final long[] pts;              // [frames] ticks, ascending
    private final int[] decodePosition;    // [frames]
    private final int[] keyPositions;      // [keyframes] ascending
    private final long[] keyPts;           // [keyframes]
    private final long[] keySeek;          // [keyframes] min(pts, dts) ticks
    private final long start;              // ticks
    private final long endTicks;           // end of the last frame, ticks
    private final boolean timestamped;
    private final Clock clock;

    private FrameTable(long[] pts, int[] decodePosition, int[] keyPositions, long[] keyPts, long[] keySeek,
                       long start, long endTicks, boolean timestamped, Clock clock) {
        this.pts = pts;
        this.decodePosition = decodePosition;
        this.keyPositions = keyPositions;
        this.keyPts = keyPts;
        this.keySeek = keySeek;
        this.start = start;
        this.endTicks = endTicks;
        this.timestamped = timestamped;
        this.clock = clock;
    }

    /**
     * Reads every packet of the video stream (leaving the demuxer at the end: seek before decoding).
     *
     * @throws VideoException TOO_MANY_FRAMES or TOO_LONG past the limits; TRUNCATED when the file ends in the middle
     *                        of its data or before the frames or duration its header declares; CORRUPT for a read
     *                        error, no frames at all, or a stream that stops short after FFmpeg complained; IO for a
     *                        failing network read
     */
    public static FrameTable scan(FfmpegVideo video) throws VideoException {
        long maxFrames = video.limits().maxFrames();
        Clock clock = video.clock();
        long maxTicks = clock.ticks(video.limits().maxDuration().toNanos() / 1000);
        LongList pts = new LongList();
        LongList keys = new LongList();       // file positions
        LongList keyPts = new LongList();
        LongList keySeek = new LongList();
        boolean allTimestamped = true;
        long first = AV_NOPTS_VALUE;
        long lastEnd = AV_NOPTS_VALUE;
        while (video.nextPacket()) {
            AVPacket packet = video.packet();
            long p = packet.pts() != AV_NOPTS_VALUE ? packet.pts() : packet.dts();
            if (pts.size() >= maxFrames) {
                throw new VideoException(Kind.TOO_MANY_FRAMES, video.name(), "more than " + maxFrames + " frames");
            }
            if (p == AV_NOPTS_VALUE) {
                allTimestamped = false;
            } else {
                first = first == AV_NOPTS_VALUE ? p : Math.min(first, p);
                if (p - video.declaredStart().orElse(first) > maxTicks) {
                    throw new VideoException(Kind.TOO_LONG, video.name(), "frames beyond "
                            + video.limits().maxDuration() + ", the duration limit");
                }
                long end = p + Math.max(0, packet.duration());
                lastEnd = lastEnd == AV_NOPTS_VALUE ? end : Math.max(lastEnd, end);
            }
            if ((packet.flags() & org.bytedeco.ffmpeg.global.avcodec.AV_PKT_FLAG_KEY) != 0) {
                keys.add(pts.size());
                keyPts.add(p);
                long d = packet.dts();
                keySeek.add(d == AV_NOPTS_VALUE || p == AV_NOPTS_VALUE ? p : Math.min(p, d));
            }
            pts.add(p);
        }
        checkEnd(video, pts.size());
        if (!allTimestamped || keys.size() == 0) {
            return ordinalOnly(pts.size(), video.frameClock());
        }
        int[] order = IndexSort.byKey(pts.toArray());
        long[] sorted = new long[order.length];
        for (int i = 0; i < order.length; i++) {
            sorted[i] = pts.get(order[i]);
        }
        long start = video.declaredStart().orElse(sorted[0]);
        long end = Math.max(lastEnd, sorted[sorted.length - 1]);
        if (end == sorted[sorted.length - 1] && sorted.length > 1) {
            end += sorted[sorted.length - 1] - sorted[sorted.length - 2];
        }
        FrameTable table = new FrameTable(sorted, order, toInts(keys), keyPts.toArray(), keySeek.toArray(), start,
                end, true, clock);
        table.checkDeclaredDuration(video);
        return table;
    }

    /**
     * How the stream ended. FFmpeg reports a cut-off file only in its log ("File ended prematurely" from Matroska,
     * "partial file" from MP4) and otherwise just stops; a read error in a local file means damaged data.
     */
    private static void checkEnd(FfmpegVideo video, int frames) throws VideoException {
        String log = FfmpegLog.drain();
        boolean endedEarly = log.contains("ended prematurely") || log.contains("partial file");
        int readError = video.lastReadError();
        if (readError != 0 && video.network()) {
            throw new VideoException(Kind.IO, video.name(), "reading stopped after " + frames + " frames: "
                    + Errors.describe(readError) + Errors.log(log));
        }
        if (readError != 0) {
            throw new VideoException(endedEarly ? Kind.TRUNCATED : Kind.CORRUPT, video.name(),
                    "reading stopped after " + frames + " frames: " + Errors.describe(readError) + Errors.log(log));
        }
        if (endedEarly) {
            throw new VideoException(Kind.TRUNCATED, video.name(), "the file ends in the middle of its data after "
                    + frames + " frames" + Errors.log(log));
        }
        if (frames == 0) {
            throw new VideoException(Kind.CORRUPT, video.name(), "the video stream holds no frames" + Errors.log(log));
        }
        if (video.declaredFrames() > frames) {
            throw new VideoException(Kind.TRUNCATED, video.name(), "only " + frames + " of the "
                    + video.declaredFrames() + " frames the header declares are present" + Errors.log(log));
        }
        video.rememberScanLog(log);
    }

    /**
     * A container that states its duration but no frame count (Matroska) and whose video stops well short of it
     * was cut off: more than 10% and more than a second missing. (Audio running a little longer than video is
     * common and stays below that.)
     */
    private void checkDeclaredDuration(FfmpegVideo video) throws VideoException {
        if (video.declaredFrames() > 0 || video.info().duration().isEmpty()) {
            return;
        }
        long declared = video.info().duration().get().toNanos() / 1000;
        long measured = durationMicros();
        if (measured < 0.9 * declared && declared - measured > 500_000) {
            String log = video.scanLog();
            throw new VideoException(log.isEmpty() ? Kind.TRUNCATED : Kind.CORRUPT, video.name(),
                    "the container declares " + declared / 1e6 + " s but the video stream ends at "
                    + measured / 1e6 + " s" + Errors.log(log));
        }
    }

    /** Frame {@code i} gets timestamp {@code i} on a clock of one tick per nominal frame. */
    private static FrameTable ordinalOnly(int frames, Clock frameClock) {
        int[] positions = new int[frames];
        Arrays.setAll(positions, i -> i);
        long[] ordinals = new long[frames];
        Arrays.setAll(ordinals, i -> i);
        return new FrameTable(ordinals, positions, new int[] {0}, new long[] {0}, new long[] {0}, 0, frames,
                false, frameClock);
    }

    private static int[] toInts(LongList list) {
        int[] out = new int[list.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (int) list.get(i);
        }
        return out;
    }

    /** Number of frames. */
    public int frames() {
        return pts.length;
    }

    /** Whether frames have timestamps (false: raw streams, frames numbered in decoding order, no seeking). */
    public boolean timestamped() {
        return timestamped;
    }

    /** Presentation timestamp of frame {@code p} in stream ticks. */
    public long pts(int p) {
        return pts[p];
    }

    /** Presentation time of frame {@code p} in microseconds from the stream start. */
    public long micros(int p) {
        return clock.micros(pts[p] - start);
    }

    /** Presentation times of all frames, microseconds from the stream start, ascending. */
    public long[] allMicros() {
        long[] out = new long[pts.length];
        for (int p = 0; p < out.length; p++) {
            out[p] = micros(p);
        }
        return out;
    }

    /** Time from the stream start to the end of the last frame, in microseconds. */
    public long durationMicros() {
        return clock.micros(endTicks - start);
    }

    /** File position of frame {@code p}'s packet. */
    public int decodePosition(int p) {
        return decodePosition[p];
    }

    /**
     * The keyframe from which decoding reaches frame {@code p}: the last keyframe at or before its packet whose
     * own timestamp is not after the frame's (so open-GOP leading frames start one group earlier).
     *
     * @param p       presentation index
     * @param earlier how many further keyframes to step back (0 normally; more to retry after a bad seek)
     * @return index into the keyframe list
     */
    public int keyframeFor(int p, int earlier) {
        int position = decodePosition[p];
        int k = Arrays.binarySearch(keyPositions, position);
        if (k < 0) {
            k = -k - 2;
        }
        while (k > 0 && keyPts[k] > pts[p]) {
            k--;
        }
        return Math.max(0, k - earlier);
    }

    /** File position of keyframe {@code k}. */
    public int keyPosition(int k) {
        return keyPositions[k];
    }

    /** Timestamp to seek to for keyframe {@code k} (stream ticks). */
    public long keySeekTicks(int k) {
        return keySeek[k];
    }

    /** Presentation index of the frame whose pts is {@code ticks}, if there is one. */
    public int indexOfPts(long ticks) {
        int i = Arrays.binarySearch(pts, ticks);
        if (i < 0) {
            return -1;
        }
        while (i > 0 && pts[i - 1] == ticks) {
            i--;
        }
        return i;
    }
}

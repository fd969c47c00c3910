package dev.vlflow.vision.sampling;

import dev.vlflow.vision.VideoException;
import dev.vlflow.vision.VideoException.Kind;
import dev.vlflow.vision.decode.FfmpegVideo;
import dev.vlflow.vision.decode.FrameTable;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Decodes exactly the planned frames of a bounded video, in presentation order. Frames are found by timestamp, not
 * by counting, so a frame the decoder drops cannot shift the others. Between two selected frames it keeps decoding
 * when that is on the way, and seeks to the needed keyframe when the keyframe lies ahead of the decoder (so sparse
 * plans over long videos decode a few groups of pictures, not the whole file).
 *
 * <p>A frame that does not come out, or comes out marked damaged, is retried from one keyframe earlier and then from
 * the first keyframe (a seek can land late; a non-IDR keyframe can leave references missing); if it still fails the
 * video is {@link Kind#CORRUPT}.
 */
public final class PlannedCursor implements FrameCursor {

    private enum Outcome { FOUND, DAMAGED, MISSED, ENDED }

    private final FfmpegVideo video;
    private final FrameTable table;
    private final int[] targets;   // [planned] presentation indices, ascending, may repeat
    private int next;
    private int current = -1;      // presentation index of the decoder's current frame, if it is a target
    private int decoded = -1;      // presentation index of the last frame decoded since the last seek, -1: none

    /**
     * @param video   open on the same source the table was scanned from; for a table without timestamps, freshly
     *                opened (it is decoded from the start, counting frames)
     * @param targets presentation indices to return, ascending
     */
    public PlannedCursor(FfmpegVideo video, FrameTable table, int[] targets) {
        this.video = video;
        this.table = table;
        this.targets = targets.clone();
        for (int i = 1; i < targets.length; i++) {
            if (targets[i] < targets[i - 1]) {
                throw new IllegalArgumentException("targets must be ascending");
            }
        }
    }

    @Override
    public Optional<Position> next() throws VideoException {
        if (next == targets.length) {
            return Optional.empty();
        }
        int p = targets[next++];
        if (p != current) {
            current = -1;
            if (table.timestamped()) {
                decodeTo(p);
            } else {
                countTo(p);
            }
            current = p;
        }
        return Optional.of(new Position(table.micros(p), p));
    }

    @Override
    public OptionalInt planned() {
        return OptionalInt.of(targets.length);
    }

    @Override
    public int damagedFramesSkipped() {
        return 0;
    }

    private void decodeTo(int p) throws VideoException {
        Outcome outcome = Outcome.ENDED;
        for (int attempt = 0; attempt < 3; attempt++) {
            if (attempt > 0 || needsSeek(p)) {
                int keyframe = attempt < 2 ? table.keyframeFor(p, attempt) : 0;
                if (!video.seek(table.keySeekTicks(keyframe))) {
                    throw new VideoException(video.network() ? Kind.IO : Kind.CORRUPT, video.name(),
                            "cannot seek to the keyframe before frame " + p);
                }
                decoded = -1;
            }
            outcome = decodeUntil(p);
            if (outcome == Outcome.FOUND) {
                return;
            }
        }
        String what = switch (outcome) {
            case DAMAGED -> "is damaged (the decoder concealed errors in it)";
            case MISSED -> "was not produced by the decoder (damaged data)";
            default -> "was not reached before the stream ended";
        };
        throw new VideoException(Kind.CORRUPT, video.name(), "frame " + p + " at " + table.micros(p) / 1e6 + " s "
                + what + "; " + video.rejectedPackets() + " packets rejected");
    }

    private boolean needsSeek(int p) {
        if (decoded < 0 || p <= decoded) {
            return true;
        }
        int keyframe = table.keyframeFor(p, 0);
        return table.keyPosition(keyframe) > table.decodePosition(decoded);
    }

    private Outcome decodeUntil(int p) {
        long target = table.pts(p);
        while (video.nextFrame()) {
            long pts = video.framePts();
            int index = table.indexOfPts(pts);
            if (index >= 0) {
                decoded = index;
            }
            if (pts == target) {
                return video.frameDamaged() ? Outcome.DAMAGED : Outcome.FOUND;
            }
            if (pts > target) {
                return Outcome.MISSED;
            }
        }
        return Outcome.ENDED;
    }

    /** Streams without timestamps: decode from the start and count. */
    private void countTo(int p) throws VideoException {
        while (decoded < p) {
            if (!video.nextFrame()) {
                throw new VideoException(Kind.CORRUPT, video.name(), "stream ended after " + (decoded + 1)
                        + " decoded frames; the scan found " + table.frames());
            }
            decoded++;
        }
        if (video.frameDamaged()) {
            throw new VideoException(Kind.CORRUPT, video.name(), "frame " + p + " is damaged");
        }
    }
}

package dev.vlflow.operators.frames;

import java.util.Arrays;
import java.util.Objects;

/**
 * One segment's frames encoded by the vision tower, keyed for the session. Zero frames: the segment failed earlier
 * and contributes nothing.
 *
 * @param streamId       the stream
 * @param sequence       the segment's sequence number
 * @param frames         number of frames
 * @param tokensPerFrame visual tokens per frame
 * @param hidden         decoder width
 * @param rows           [frames * tokensPerFrame, hidden]
 */
public record SegmentEmbeddings(String streamId, long sequence, int frames, int tokensPerFrame, int hidden,
                                float[] rows) {
    public SegmentEmbeddings {
        Objects.requireNonNull(streamId, "streamId");
        if (frames < 0 || tokensPerFrame <= 0 || hidden <= 0
                || rows.length != (long) frames * tokensPerFrame * hidden) {
            throw new IllegalArgumentException("segment embeddings of shape [" + frames + "*" + tokensPerFrame
                    + "," + hidden + "] with " + rows.length + " floats");
        }
    }

    public int tokens() {
        return frames * tokensPerFrame;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SegmentEmbeddings e && e.streamId.equals(streamId) && e.sequence == sequence
                && e.frames == frames && e.tokensPerFrame == tokensPerFrame && e.hidden == hidden
                && Arrays.equals(e.rows, rows);
    }

    @Override
    public int hashCode() {
        return Objects.hash(streamId, sequence, frames, tokensPerFrame, hidden, Arrays.hashCode(rows));
    }

    @Override
    public String toString() {
        return "SegmentEmbeddings[" + streamId + "#" + sequence + ", " + frames + " frames x " + tokensPerFrame
                + " tokens x " + hidden + "]";
    }
}

package dev.vlflow.engine;

/**
 * Frames encoded for the decoder: the vision tower, projector and 2x2 pooling applied, without the video's
 * closing {@code image_newline} row (the session adds it when a question closes the video).
 *
 * @param rows           [frames * tokensPerFrame, hidden]
 * @param frames         number of frames
 * @param tokensPerFrame visual tokens per frame (196 at 384 px)
 * @param hidden         decoder width
 */
public record FrameEmbeddings(float[] rows, int frames, int tokensPerFrame, int hidden) {
    public FrameEmbeddings {
        if (rows.length != (long) frames * tokensPerFrame * hidden) {
            throw new IllegalArgumentException("frame embeddings hold " + rows.length + " floats, expected "
                    + frames + " x " + tokensPerFrame + " x " + hidden);
        }
    }

    public int tokens() {
        return frames * tokensPerFrame;
    }
}

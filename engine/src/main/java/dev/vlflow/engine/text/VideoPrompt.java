package dev.vlflow.engine.text;

import java.util.Arrays;

/**
 * A tokenized prompt about one video, its {@code <video>} placeholder expanded to the video's token slots.
 *
 * <pre>
 * tokenIds: [ header ... | video x (frames * tokensPerFrame + 1) | question ... assistant opening ]
 *                          ^ videoStart                          ^ videoEnd (exclusive)
 * </pre>
 * The slots hold the video token id; the model fills them with the frames' pooled embeddings and, last, the
 * {@code image_newline} row.
 */
public record VideoPrompt(int[] tokenIds, int videoStart, int videoEnd, int frames) {

    public VideoPrompt {
        if (videoStart < 0 || videoEnd < videoStart || videoEnd > tokenIds.length) {
            throw new IllegalArgumentException("video range [" + videoStart + ", " + videoEnd + ") outside "
                    + tokenIds.length + " tokens");
        }
        tokenIds = tokenIds.clone();
    }

    @Override
    public int[] tokenIds() {
        return tokenIds.clone();
    }

    public int length() {
        return tokenIds.length;
    }

    public int videoTokens() {
        return videoEnd - videoStart;
    }

    /** Ids before the video. */
    public int[] header() {
        return Arrays.copyOfRange(tokenIds, 0, videoStart);
    }

    /** Ids after the video. */
    public int[] tail() {
        return Arrays.copyOfRange(tokenIds, videoEnd, tokenIds.length);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VideoPrompt p && Arrays.equals(tokenIds, p.tokenIds) && videoStart == p.videoStart
                && videoEnd == p.videoEnd && frames == p.frames;
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(tokenIds) + videoStart * 7 + videoEnd * 3 + frames;
    }

    @Override
    public String toString() {
        return "VideoPrompt[" + tokenIds.length + " tokens, video [" + videoStart + ", " + videoEnd + "), " + frames
                + " frames]";
    }
}

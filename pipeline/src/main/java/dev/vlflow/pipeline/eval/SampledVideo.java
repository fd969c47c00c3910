package dev.vlflow.pipeline.eval;

/**
 * Frames sampled from one video and preprocessed for the model.
 *
 * @param pixels       [frames, 3, S, S] normalized as the checkpoint's processor config says
 * @param frames       number of frames
 * @param frameIndices [frames] index of each frame in the video (what subtitles are aligned to)
 * @param fps          the video's frame rate (to turn subtitle times into frame indices)
 */
public record SampledVideo(float[] pixels, int frames, long[] frameIndices, double fps) {

    public SampledVideo {
        if (frames <= 0 || frameIndices.length != frames || pixels.length % frames != 0) {
            throw new IllegalArgumentException("need one index per frame and whole frames of pixels");
        }
        if (!(fps > 0)) {
            throw new IllegalArgumentException("fps must be positive, got " + fps);
        }
    }

    /** Frame indices as ints (what {@link dev.vlflow.connectors.videomme.Subtitles#alignedTo} takes). */
    public int[] frameIndicesInt() {
        int[] out = new int[frames];
        for (int i = 0; i < frames; i++) {
            out[i] = Math.toIntExact(frameIndices[i]);
        }
        return out;
    }
}

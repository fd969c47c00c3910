package dev.vlflow.pipeline.eval;

import dev.vlflow.vision.sampling.FrameSelection;

/**
 * Frames sampled from one video and preprocessed for the model.
 *
 * @param pixels       [frames, 3, S, S] normalized as the checkpoint's processor config says
 * @param frames       number of frames
 * @param frameIndices [frames] index of each frame in the video (what subtitles are aligned to)
 * @param fps          the video's frame rate (to turn subtitle times into frame indices)
 * @param totalFrames  frames in the whole video (what {@code cv2.CAP_PROP_FRAME_COUNT} reports)
 */
public record SampledVideo(float[] pixels, int frames, long[] frameIndices, double fps, long totalFrames) {

    public SampledVideo {
        if (frames <= 0 || frameIndices.length != frames || pixels.length % frames != 0) {
            throw new IllegalArgumentException("need one index per frame and whole frames of pixels");
        }
        if (totalFrames <= 0) {
            throw new IllegalArgumentException("totalFrames must be positive, got " + totalFrames);
        }
        if (!(fps > 0)) {
            throw new IllegalArgumentException("fps must be positive, got " + fps);
        }
    }

    /** lmms-eval's uniform indices over the whole video: {@code np.linspace(0, totalFrames - 1, n, dtype=int)}. */
    public int[] uniformIndices(int n) {
        long[] at = FrameSelection.uniform(totalFrames, n);
        int[] out = new int[at.length];
        for (int i = 0; i < at.length; i++) {
            out[i] = Math.toIntExact(at[i]);
        }
        return out;
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

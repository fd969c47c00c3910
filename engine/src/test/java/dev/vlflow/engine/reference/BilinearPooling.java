package dev.vlflow.engine.reference;

/**
 * Bilinear resizing exactly like {@code torch.nn.functional.interpolate(x, size=(outH, outW), mode='bilinear',
 * align_corners=False)} (no antialias), and the LLaVA-OneVision 2x2 pooling of a frame's patch tokens built on it.
 *
 * <p>Per axis, output index {@code d} samples the source coordinate {@code src = (d + 0.5) * in / out - 0.5},
 * clamped below at 0; it blends {@code i0 = floor(src)} and {@code i1 = min(i0 + 1, in - 1)} with weights
 * {@code 1 - lambda} and {@code lambda = src - i0} (PyTorch's {@code guard_index_and_lambda}). The 2-D result
 * is the separable product of both axes.
 */
public final class BilinearPooling {

    private BilinearPooling() {
    }

    /** The two source taps and their weights for one output index along one axis. */
    public record Taps(int i0, int i1, double w0, double w1) {
    }

    /** Source taps of output index {@code dst} when resizing an axis of length {@code in} to {@code out}. */
    public static Taps taps(int dst, int in, int out) {
        double scale = (double) in / out;
        double src = Math.max((dst + 0.5) * scale - 0.5, 0.0);
        int i0 = (int) Math.floor(src);
        if (i0 > in - 1) {
            i0 = in - 1;
        }
        int i1 = i0 < in - 1 ? i0 + 1 : i0;
        double lambda = Math.min(Math.max(src - i0, 0.0), 1.0);
        return new Taps(i0, i1, 1.0 - lambda, lambda);
    }

    /**
     * Resizes each channel plane of an NCHW tensor (one batch element).
     *
     * @param input [channels, inH, inW]
     * @return [channels, outH, outW]
     */
    public static float[] resize(float[] input, int channels, int inH, int inW, int outH, int outW) {
        ReferenceMath.checkLength("bilinear input", input, (long) channels * inH * inW);
        float[] out = new float[channels * outH * outW];
        for (int oy = 0; oy < outH; oy++) {
            Taps ty = taps(oy, inH, outH);
            for (int ox = 0; ox < outW; ox++) {
                Taps tx = taps(ox, inW, outW);
                for (int c = 0; c < channels; c++) {
                    int plane = c * inH * inW;
                    double top = tx.w0() * input[plane + ty.i0() * inW + tx.i0()]
                            + tx.w1() * input[plane + ty.i0() * inW + tx.i1()];
                    double bottom = tx.w0() * input[plane + ty.i1() * inW + tx.i0()]
                            + tx.w1() * input[plane + ty.i1() * inW + tx.i1()];
                    out[(c * outH + oy) * outW + ox] = (float) (ty.w0() * top + ty.w1() * bottom);
                }
            }
        }
        return out;
    }

    /**
     * LLaVA-OneVision's {@code apply_pooling} for one frame: the {@code side x side} grid of tokens, viewed as
     * {@code [side, side, width]}, permuted to NCHW, resized to {@code ceil(side/2)} per side, permuted back.
     *
     * @param tokens [side * side, width], token index = row * side + column
     * @return [ceil(side/2)^2, width], in the same row-major token order
     */
    public static float[] poolFrame(float[] tokens, int side, int width) {
        ReferenceMath.checkLength("pooling input", tokens, (long) side * side * width);
        int pooled = (side + 1) / 2;
        float[] nchw = new float[tokens.length];                     // [width, side, side]
        for (int p = 0; p < side * side; p++) {
            for (int c = 0; c < width; c++) {
                nchw[c * side * side + p] = tokens[p * width + c];
            }
        }
        float[] resized = resize(nchw, width, side, side, pooled, pooled);   // [width, pooled, pooled]
        float[] out = new float[pooled * pooled * width];
        for (int p = 0; p < pooled * pooled; p++) {
            for (int c = 0; c < width; c++) {
                out[p * width + c] = resized[c * pooled * pooled + p];
            }
        }
        return out;
    }

    /**
     * {@link #poolFrame} of each of {@code frames} consecutive frames.
     *
     * @param tokens [frames * side * side, width], frame-major
     * @return [frames * ceil(side/2)^2, width], frame-major
     */
    public static float[] poolFrames(float[] tokens, int frames, int side, int width) {
        ReferenceMath.checkLength("pooling input", tokens, (long) frames * side * side * width);
        int perFrameIn = side * side * width;
        int pooled = (side + 1) / 2;
        int perFrameOut = pooled * pooled * width;
        float[] out = new float[frames * perFrameOut];
        for (int f = 0; f < frames; f++) {
            float[] frame = new float[perFrameIn];
            System.arraycopy(tokens, f * perFrameIn, frame, 0, perFrameIn);
            System.arraycopy(poolFrame(frame, side, width), 0, out, f * perFrameOut, perFrameOut);
        }
        return out;
    }
}

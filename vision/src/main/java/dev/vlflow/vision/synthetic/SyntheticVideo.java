package dev.vlflow.vision.synthetic;

import dev.vlflow.vision.decode.FfmpegLog;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameRecorder;

/**
 * Makes test videos whose content is known exactly: shapes of known colours at known places and times, and
 * optionally each frame's slot number written as a code along the bottom edge. Tests, the demo and the synthetic
 * Video-MME set use it; {@link #render} gives the exact picture a frame was encoded from.
 *
 * <p>The frame code: a band {@code max(8, height/8)} pixels high along the bottom, cut into 18 equal blocks: a white
 * reference block, 16 bits of the slot number (most significant first, white = 1), a black reference block.
 */
public final class SyntheticVideo {

    private static final int CODE_BITS = 16;
    private static final int CODE_BLOCKS = CODE_BITS + 2;

    private SyntheticVideo() {
    }

    /** Encodes the video described by {@code spec} into {@code file} (overwritten) and returns it. */
    public static Path write(VideoSpec spec, Path file) throws IOException {
        FfmpegLog.install();
        int width = spec.width();
        int height = spec.height();
        try (FFmpegFrameRecorder recorder = new FFmpegFrameRecorder(file.toFile(), width, height, 0);
             Frame frame = new Frame(width, height, Frame.DEPTH_UBYTE, 3)) {
            recorder.setFormat(spec.encoding().format());
            recorder.setVideoCodecName(spec.encoding().codec());
            recorder.setFrameRate(spec.fps());
            recorder.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
            recorder.setGopSize(Math.max(1, (int) Math.round(spec.fps())));
            recorder.setMaxBFrames(0);
            if (spec.encoding() == VideoSpec.Encoding.MP4_MPEG4_FASTSTART) {
                recorder.setOption("movflags", "+faststart");
            }
            if (spec.encoding().codec().equals("mpeg4")) {
                recorder.setVideoQuality(2);
            } else {
                recorder.setVideoBitrate(Math.max(500_000, (int) Math.min(Integer.MAX_VALUE,
                        (long) (width * (long) height * spec.fps() * 0.4))));
            }
            recorder.start();
            ByteBuffer buffer = (ByteBuffer) frame.image[0];
            int stride = frame.imageStride;
            for (long slot : spec.slots()) {
                byte[] rgb = render(spec, slot);
                for (int y = 0; y < height; y++) {
                    buffer.put(y * stride, rgb, y * width * 3, width * 3);
                }
                recorder.setTimestamp(spec.slotMicros(slot));
                recorder.record(frame, avutil.AV_PIX_FMT_RGB24);
            }
            recorder.stop();
        } catch (FrameRecorder.Exception e) {
            throw new IOException("cannot encode " + spec + " to " + file + ": " + e.getMessage(), e);
        }
        return file;
    }

    /** The picture of slot {@code slot}, packed RGB {@code [height, width, 3]}, exactly as it is encoded. */
    public static byte[] render(VideoSpec spec, long slot) {
        int width = spec.width();
        int height = spec.height();
        byte[] rgb = new byte[width * height * 3];
        fill(rgb, width, 0, 0, width, height, spec.background());
        long micros = spec.slotMicros(slot);
        for (Shape shape : spec.shapes()) {
            if (!shape.visibleAt(micros)) {
                continue;
            }
            int left = shape.leftAt(micros);
            int top = shape.topAt(micros);
            for (int y = Math.max(0, top); y < Math.min(height, top + shape.height()); y++) {
                for (int x = Math.max(0, left); x < Math.min(width, left + shape.width()); x++) {
                    if (shape.covers(left, top, x, y)) {
                        put(rgb, (y * width + x) * 3, shape.colour());
                    }
                }
            }
        }
        if (spec.frameCode()) {
            drawCode(rgb, width, height, slot);
        }
        return rgb;
    }

    /** Height of the frame-code band for a frame of {@code height} rows. */
    public static int codeBandHeight(int height) {
        return Math.max(8, height / 8);
    }

    private static void drawCode(byte[] rgb, int width, int height, long slot) {
        if (slot >= 1L << CODE_BITS) {
            throw new IllegalArgumentException("slot " + slot + " does not fit the 16-bit frame code");
        }
        int band = codeBandHeight(height);
        for (int block = 0; block < CODE_BLOCKS; block++) {
            boolean white = block == 0
                    || (block <= CODE_BITS && ((slot >>> (CODE_BITS - block)) & 1) == 1);
            int x0 = block * width / CODE_BLOCKS;
            int x1 = (block + 1) * width / CODE_BLOCKS;
            fill(rgb, width, x0, height - band, x1, height, white ? Rgb.WHITE : Rgb.BLACK);
        }
    }

    /**
     * Reads the frame code from a packed RGB frame {@code [height, width, 3]}.
     *
     * @return the slot number
     */
    public static int readFrameCode(byte[] rgb, int width, int height) {
        return readCode(width, height, (x, y) -> (rgb[(y * width + x) * 3] & 0xff) + (rgb[(y * width + x) * 3 + 1]
                & 0xff) + (rgb[(y * width + x) * 3 + 2] & 0xff));
    }

    /**
     * Reads the frame code from a preprocessed frame, {@code [3, height, width]} floats in any affine normalization
     * (the reference blocks set the threshold).
     */
    public static int readFrameCode(FloatBuffer chw, int width, int height) {
        int plane = width * height;
        int base = chw.position();
        return readCode(width, height, (x, y) -> chw.get(base + y * width + x) + chw.get(base + plane + y * width + x)
                + chw.get(base + 2 * plane + y * width + x));
    }

    /** Brightness of one pixel in some unit. */
    private interface Luma {
        double at(int x, int y);
    }

    private static int readCode(int width, int height, Luma luma) {
        int band = codeBandHeight(height);
        double[] level = new double[CODE_BLOCKS];
        for (int block = 0; block < CODE_BLOCKS; block++) {
            int x0 = block * width / CODE_BLOCKS;
            int x1 = (block + 1) * width / CODE_BLOCKS;
            int margin = Math.max(1, (x1 - x0) / 4);
            double sum = 0;
            int n = 0;
            for (int y = height - band + band / 4; y < height - band / 4; y++) {
                for (int x = x0 + margin; x < x1 - margin; x++) {
                    sum += luma.at(x, y);
                    n++;
                }
            }
            level[block] = sum / Math.max(1, n);
        }
        double threshold = (level[0] + level[CODE_BLOCKS - 1]) / 2;
        int code = 0;
        for (int bit = 1; bit <= CODE_BITS; bit++) {
            code = (code << 1) | (level[bit] > threshold ? 1 : 0);
        }
        return code;
    }

    private static void fill(byte[] rgb, int width, int x0, int y0, int x1, int y1, Rgb colour) {
        for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++) {
                put(rgb, (y * width + x) * 3, colour);
            }
        }
    }

    private static void put(byte[] rgb, int offset, Rgb colour) {
        rgb[offset] = (byte) colour.r();
        rgb[offset + 1] = (byte) colour.g();
        rgb[offset + 2] = (byte) colour.b();
    }
}

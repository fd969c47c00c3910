package dev.vlflow.vision.decode;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGB24;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_get_buffer;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_unref;
import static org.bytedeco.ffmpeg.global.swscale.SWS_BILINEAR;
import static org.bytedeco.ffmpeg.global.swscale.sws_freeContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_getCachedContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_scale_frame;

import dev.vlflow.vision.VideoException;
import dev.vlflow.vision.VideoException.Kind;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Decoded frames (any pixel format) to packed RGB at the same size, with swscale; the RGB buffer is reused from frame
 * to frame. Owns its swscale context and buffer.
 */
final class RgbConverter implements AutoCloseable {

    private final AVFrame rgb;
    private SwsContext sws;

    RgbConverter() {
        rgb = av_frame_alloc();
        if (rgb == null) {
            throw new OutOfMemoryError("av_frame_alloc");
        }
    }

    /**
     * Converts {@code frame}. The returned {@link Mat} ({@code [height, width, 3]} bytes) is a header over this
     * converter's buffer, valid until the next call; closing it frees only the header.
     */
    Mat convert(AVFrame frame, String name) throws VideoException {
        int width = frame.width();
        int height = frame.height();
        if (rgb.width() != width || rgb.height() != height) {
            av_frame_unref(rgb);
            rgb.format(AV_PIX_FMT_RGB24).width(width).height(height);
            if (av_frame_get_buffer(rgb, 0) < 0) {
                throw new OutOfMemoryError("av_frame_get_buffer " + width + "x" + height);
            }
        }
        sws = sws_getCachedContext(sws, width, height, frame.format(), width, height, AV_PIX_FMT_RGB24, SWS_BILINEAR,
                null, null, (DoublePointer) null);
        if (sws == null) {
            throw new VideoException(Kind.UNSUPPORTED_CODEC, name, "no conversion from pixel format "
                    + frame.format() + " to RGB");
        }
        int error = sws_scale_frame(sws, rgb, frame);
        if (error < 0) {
            throw new VideoException(Kind.CORRUPT, name, "pixel conversion failed: " + Errors.describe(error));
        }
        return new Mat(height, width, opencv_core.CV_8UC3, rgb.data(0), rgb.linesize(0));
    }

    @Override
    public void close() {
        if (sws != null) {
            sws_freeContext(sws);
            sws = null;
        }
        av_frame_free(rgb);
    }
}

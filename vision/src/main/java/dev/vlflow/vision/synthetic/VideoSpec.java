package dev.vlflow.vision.synthetic;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * What a synthetic video shows and how it is encoded.
 *
 * @param width      frame width in pixels (even)
 * @param height     frame height in pixels (even)
 * @param fps        nominal frame rate; frame slot {@code s} is shown at {@code s / fps} seconds
 * @param duration   length; the video has {@code round(duration · fps)} slots
 * @param background background colour
 * @param shapes     shapes drawn in order (later ones on top)
 * @param frameCode  whether to draw the frame's slot number as a 16-bit black/white code in a band along the
 *                   bottom edge ({@link SyntheticVideo#readFrameCode}), so tests can tell which frame they got
 * @param encoding   container and codec
 * @param slots      the slots that get a frame, ascending; empty means every slot (constant frame rate). Leaving
 *                   slots out makes a variable-frame-rate video with gaps.
 */
public record VideoSpec(int width, int height, double fps, Duration duration, Rgb background, List<Shape> shapes,
                        boolean frameCode, Encoding encoding, long[] slots) {

    /** Container and codec of the file. All decode with the bundled FFmpeg; MPEG-4 Part 2 encodes fastest. */
    public enum Encoding {
        /** MPEG-4 Part 2 in MP4 (index at the end of the file). */
        MP4_MPEG4("mp4", "mpeg4", "mp4"),
        /** MPEG-4 Part 2 in MP4 with the index at the start ({@code movflags=+faststart}, as web videos are). */
        MP4_MPEG4_FASTSTART("mp4", "mpeg4", "mp4"),
        /** H.264 (OpenH264, constrained baseline) in MP4. */
        MP4_H264("mp4", "libopenh264", "mp4"),
        /** MPEG-4 Part 2 in Matroska. */
        MKV_MPEG4("matroska", "mpeg4", "mkv"),
        /** MPEG-4 Part 2 in an MPEG transport stream (streamable, as live sources are). */
        TS_MPEG4("mpegts", "mpeg4", "ts"),
        /** A raw MPEG-4 Part 2 elementary stream: no container (FFmpeg derives timestamps from the frame rate). */
        RAW_MPEG4("m4v", "mpeg4", "m4v"),
        /** A raw H.264 Annex B stream: no container and no timestamps at all; frames are known by their order. */
        RAW_H264("h264", "libopenh264", "h264");

        private final String format;
        private final String codec;
        private final String extension;

        Encoding(String format, String codec, String extension) {
            this.format = format;
            this.codec = codec;
            this.extension = extension;
        }

        public String format() {
            return format;
        }

        public String codec() {
            return codec;
        }

        /** File name extension, without the dot. */
        public String extension() {
            return extension;
        }
    }

    public VideoSpec {
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(background, "background");
        Objects.requireNonNull(encoding, "encoding");
        shapes = List.copyOf(shapes);
        slots = slots.clone();
        if (width <= 0 || height <= 0 || width % 2 != 0 || height % 2 != 0) {
            throw new IllegalArgumentException("width and height must be positive and even: " + width + "x" + height);
        }
        if (!(fps > 0) || Double.isInfinite(fps)) {
            throw new IllegalArgumentException("fps must be positive: " + fps);
        }
        if (Math.round(duration.toNanos() / 1e9 * fps) < 1) {
            throw new IllegalArgumentException("duration holds no frame: " + duration);
        }
        for (int i = 0; i < slots.length; i++) {
            if (slots[i] < 0 || (i > 0 && slots[i] <= slots[i - 1])) {
                throw new IllegalArgumentException("slots must be ascending and non-negative");
            }
        }
    }

    /** A {@code width × height} video at {@code fps} for {@code duration}, grey, no shapes, MPEG-4 in MP4. */
    public static VideoSpec of(int width, int height, double fps, Duration duration) {
        return new VideoSpec(width, height, fps, duration, Rgb.GREY, List.of(), false, Encoding.MP4_MPEG4,
                new long[0]);
    }

    public VideoSpec withBackground(Rgb colour) {
        return new VideoSpec(width, height, fps, duration, colour, shapes, frameCode, encoding, slots);
    }

    public VideoSpec withShapes(Shape... added) {
        return new VideoSpec(width, height, fps, duration, background, List.of(added), frameCode, encoding, slots);
    }

    public VideoSpec withFrameCode() {
        return new VideoSpec(width, height, fps, duration, background, shapes, true, encoding, slots);
    }

    public VideoSpec withEncoding(Encoding e) {
        return new VideoSpec(width, height, fps, duration, background, shapes, frameCode, e, slots);
    }

    /** A variable-frame-rate version: only these slots get a frame. */
    public VideoSpec withSlots(long... frameSlots) {
        return new VideoSpec(width, height, fps, duration, background, shapes, frameCode, encoding, frameSlots);
    }

    /** The slots that get a frame, ascending. */
    @Override
    public long[] slots() {
        if (slots.length > 0) {
            return slots.clone();
        }
        long count = Math.round(duration.toNanos() / 1e9 * fps);
        long[] all = new long[Math.toIntExact(count)];
        Arrays.setAll(all, i -> i);
        return all;
    }

    /** Presentation time of a slot, microseconds (exact for frame rates that divide a second evenly). */
    public long slotMicros(long slot) {
        return Math.round(slot * 1e6 / fps);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VideoSpec s && s.width == width && s.height == height && s.fps == fps
                && s.duration.equals(duration) && s.background.equals(background) && s.shapes.equals(shapes)
                && s.frameCode == frameCode && s.encoding == encoding && Arrays.equals(s.slots, slots);
    }

    @Override
    public int hashCode() {
        return Objects.hash(width, height, fps, duration, background, shapes, frameCode, encoding,
                Arrays.hashCode(slots));
    }

    @Override
    public String toString() {
        return "VideoSpec[" + width + "x" + height + " @" + fps + "fps, " + duration + ", " + encoding + ", "
                + shapes.size() + " shapes" + (slots.length > 0 ? ", " + slots.length + " slots" : "") + "]";
    }
}

package dev.vlflow.vision.decode;

import static org.bytedeco.ffmpeg.global.avformat.AVPROBE_PADDING_SIZE;
import static org.bytedeco.ffmpeg.global.avformat.AVPROBE_SCORE_EXTENSION;
import static org.bytedeco.ffmpeg.global.avformat.av_probe_input_format3;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_HTTP_FORBIDDEN;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_HTTP_NOT_FOUND;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_PROTOCOL_NOT_FOUND;

import dev.vlflow.vision.VideoException;
import dev.vlflow.vision.VideoException.Kind;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import org.bytedeco.ffmpeg.avformat.AVInputFormat;
import org.bytedeco.ffmpeg.avformat.AVProbeData;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;

/**
 * Why {@code avformat_open_input} failed, in the terms of {@link Kind}. FFmpeg says "Invalid data found when
 * processing input" for a text file, a damaged header and a cut-off MP4 alike, so for files this looks at the bytes:
 * FFmpeg's own content probe tells a recognised container (damaged: {@link Kind#CORRUPT}) from anything else
 * ({@link Kind#NOT_A_VIDEO}), and an ISO-BMFF (MP4/MOV) file whose boxes run past the end of the file is
 * {@link Kind#TRUNCATED}.
 */
final class OpenFailure {

    private static final int PROBE_BYTES = 64 * 1024;

    private OpenFailure() {
    }

    /**
     * @param failure what the byte source of a fetched or inline video failed with, if it did (a refused redirect
     *                is {@link Kind#FORBIDDEN}, an HTTP 404 {@link Kind#NOT_FOUND})
     */
    static VideoException classify(String name, SourceGuard.Target target, int error, String log,
                                   Optional<IOException> failure) {
        String detail = Errors.describe(error) + Errors.log(log);
        if (failure.isPresent()) {
            IOException e = failure.get();
            Kind kind = e instanceof ByteSource.Failure f ? f.kind() : Kind.IO;
            return new VideoException(kind, name, (e.getMessage() == null ? e.toString() : e.getMessage()) + "; "
                    + detail);
        }
        if (log.contains("Format not on whitelist")) {
            return new VideoException(Kind.FORBIDDEN, name, "container format not allowed (playlists, concat lists"
                    + " and other formats that open further files or connections are refused): " + detail);
        }
        if (log.contains("not on whitelist") || error == AVERROR_PROTOCOL_NOT_FOUND) {
            return new VideoException(Kind.FORBIDDEN, name, "FFmpeg was asked for a protocol that is not allowed: "
                    + detail);
        }
        if (log.contains("Picture size") && log.contains("is invalid")) {
            return new VideoException(Kind.RESOLUTION_TOO_LARGE, name, "FFmpeg refuses the picture size: "
                    + detail);
        }
        if (error == AVERROR_HTTP_NOT_FOUND) {
            return new VideoException(Kind.NOT_FOUND, name, detail);
        }
        if (error == AVERROR_HTTP_FORBIDDEN) {
            return new VideoException(Kind.IO, name, "server refused access: " + detail);
        }
        if (target.network()) {
            return new VideoException(Kind.IO, name, detail);
        }
        try {
            Content content = target instanceof SourceGuard.Inline inline ? Content.of(inline.data())
                    : Content.of(((SourceGuard.LocalFile) target).real());
            if (IsoBmff.truncated(content)) {
                return new VideoException(Kind.TRUNCATED, name, "MP4/MOV boxes run past the end of the file: "
                        + detail);
            }
            Optional<String> container = probe(content.head(PROBE_BYTES));
            if (container.isPresent()) {
                return new VideoException(Kind.CORRUPT, name, "looks like " + container.get()
                        + " but cannot be read: " + detail);
            }
            return new VideoException(Kind.NOT_A_VIDEO, name, "no known video container: " + detail);
        } catch (IOException e) {
            return new VideoException(Kind.IO, name, e + "; " + detail);
        }
    }

    /** The container FFmpeg's content probe recognises in a video's first bytes, if it is confident. */
    private static Optional<String> probe(byte[] head) {
        try (BytePointer buffer = new BytePointer(head.length + AVPROBE_PADDING_SIZE);
             AVProbeData probe = new AVProbeData();
             BytePointer emptyName = new BytePointer("");
             IntPointer score = new IntPointer(1)) {
            buffer.zero();
            buffer.put(head, 0, head.length);
            probe.buf(buffer).buf_size(head.length).filename(emptyName).mime_type(null);
            AVInputFormat format = av_probe_input_format3(probe, 1, score);
            if (format == null || score.get() <= AVPROBE_SCORE_EXTENSION) {
                return Optional.empty();
            }
            return Optional.of(format.name().getString());
        }
    }

    /** Bytes of a video at random offsets: a file or memory. */
    interface Content {
        long size() throws IOException;

        /** Reads into {@code into} from byte {@code at}; the count read, -1 past the end. */
        int read(ByteBuffer into, long at) throws IOException;

        default byte[] head(int max) throws IOException {
            ByteBuffer head = ByteBuffer.allocate((int) Math.min(max, size()));
            while (head.hasRemaining() && read(head, head.position()) > 0) {
                // fill
            }
            return java.util.Arrays.copyOf(head.array(), head.position());
        }

        static Content of(Path path) {
            return new Content() {
                @Override
                public long size() throws IOException {
                    return Files.size(path);
                }

                @Override
                public int read(ByteBuffer into, long at) throws IOException {
                    try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
                        return channel.read(into, at);
                    }
                }
            };
        }

        static Content of(ByteBuffer data) {
            ByteBuffer whole = data.slice();
            return new Content() {
                @Override
                public long size() {
                    return whole.limit();
                }

                @Override
                public int read(ByteBuffer into, long at) {
                    if (at >= whole.limit()) {
                        return -1;
                    }
                    ByteBuffer from = whole.duplicate().position((int) at);
                    int n = Math.min(into.remaining(), from.remaining());
                    into.put(from.limit((int) at + n));
                    return n;
                }
            };
        }
    }

    /** ISO base media files (MP4, MOV): a top-level box that claims more bytes than the file has. */
    static final class IsoBmff {

        private IsoBmff() {
        }

        static boolean truncated(Content channel) throws IOException {
            long size = channel.size();
            ByteBuffer header = ByteBuffer.allocate(16);
            long offset = 0;
            boolean first = true;
            while (offset + 8 <= size) {
                header.clear();
                channel.read(header, offset);
                header.flip();
                if (header.remaining() < 8) {
                    return false;
                }
                long boxSize = Integer.toUnsignedLong(header.getInt(0));
                String type = new String(header.array(), 4, 4, StandardCharsets.ISO_8859_1);
                if (first && !type.equals("ftyp")) {
                    return false;
                }
                first = false;
                if (!type.chars().allMatch(c -> c >= 32 && c < 127)) {
                    return false;
                }
                if (boxSize == 1) {
                    if (header.remaining() < 16) {
                        return true;
                    }
                    boxSize = header.getLong(8);
                } else if (boxSize == 0) {
                    return false;
                }
                if (boxSize < 8) {
                    return false;
                }
                if (offset + boxSize > size) {
                    return true;
                }
                offset += boxSize;
            }
            return offset < size && !first;
        }
    }
}

package dev.vlflow.vision;

import dev.vlflow.vision.synthetic.VideoSpec;
import dev.vlflow.vision.synthetic.VideoSpec.Encoding;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;

/** Broken inputs, each made from a good generated video or from scratch. */
final class BadFiles {

    private final Path dir;

    BadFiles(Path dir) {
        this.dir = dir;
    }

    /** A small good video: 160×120, 25 fps, 2 s, frame code. */
    Path good(Encoding encoding) {
        VideoSpec spec = VideoSpec.of(160, 120, 25, Duration.ofSeconds(2)).withFrameCode().withEncoding(encoding);
        return TestVideos.write(spec, dir, "good-" + encoding);
    }

    /** The first {@code fraction} of a file. */
    Path truncated(Path source, double fraction) throws IOException {
        byte[] bytes = Files.readAllBytes(source);
        return write("cut-" + fraction + "-" + source.getFileName(), Arrays.copyOf(bytes, (int) (bytes.length
                * fraction)));
    }

    /** {@code length} random bytes written over the file at {@code fraction} of its length. */
    Path garbage(Path source, double fraction, int length) throws IOException {
        byte[] bytes = Files.readAllBytes(source);
        Random random = new Random(42);
        int offset = (int) (bytes.length * fraction);
        for (int i = offset; i < Math.min(bytes.length, offset + length); i++) {
            bytes[i] = (byte) random.nextInt();
        }
        return write("garbage-" + fraction + "-" + source.getFileName(), bytes);
    }

    Path text() throws IOException {
        return write("notes.mp4", "this is a text file, not a video\n".repeat(50).getBytes(StandardCharsets.UTF_8));
    }

    Path randomBytes() throws IOException {
        byte[] bytes = new byte[64 * 1024];
        new Random(5).nextBytes(bytes);
        return write("noise.bin", bytes);
    }

    Path empty() throws IOException {
        return write("empty.mp4", new byte[0]);
    }

    /** One second of a 440 Hz tone, 8 kHz 16-bit mono PCM in a WAV file: audio, no video. */
    Path audioOnly() throws IOException {
        int samples = 8000;
        ByteBuffer wav = ByteBuffer.allocate(44 + samples * 2).order(ByteOrder.LITTLE_ENDIAN);
        wav.put(ascii("RIFF")).putInt(36 + samples * 2).put(ascii("WAVE")).put(ascii("fmt ")).putInt(16)
                .putShort((short) 1).putShort((short) 1).putInt(8000).putInt(16000).putShort((short) 2)
                .putShort((short) 16).put(ascii("data")).putInt(samples * 2);
        for (int i = 0; i < samples; i++) {
            wav.putShort((short) (Math.sin(2 * Math.PI * 440 * i / 8000.0) * 8000));
        }
        return write("tone.wav", wav.array());
    }

    /** A Matroska file whose codec id is patched to one FFmpeg does not know ({@code V_XXXXX/ISO/ASP}). */
    Path unknownCodec() throws IOException {
        byte[] bytes = Files.readAllBytes(good(Encoding.MKV_MPEG4));
        byte[] id = ascii("V_MPEG4/ISO/ASP");
        int at = indexOf(bytes, id);
        if (at < 0) {
            throw new IllegalStateException("codec id not found in the Matroska header");
        }
        System.arraycopy(ascii("V_XXXXX/ISO/ASP"), 0, bytes, at, id.length);
        return write("unknown-codec.mkv", bytes);
    }

    /** A YUV4MPEG2 header declaring a {@code width × height} picture, with a few bytes of data. */
    Path y4m(int width, int height) throws IOException {
        byte[] header = ascii("YUV4MPEG2 W" + width + " H" + height + " F25:1 Ip A1:1 C420jpeg\nFRAME\n");
        return write("huge-" + width + "x" + height + ".y4m", Arrays.copyOf(header, header.length + 1000));
    }

    /** An MP4 at 1 fps whose third frame is shown after 30 hours. */
    Path thirtyHours() {
        VideoSpec spec = VideoSpec.of(64, 48, 1, Duration.ofSeconds(2)).withSlots(0, 1, 30L * 3600);
        return TestVideos.write(spec, dir, "thirty-hours");
    }

    private Path write(String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}

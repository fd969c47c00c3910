package dev.vlflow.vision.decode;

import org.bytedeco.ffmpeg.global.avutil;

/** FFmpeg error codes and tags as text. */
final class Errors {

    /** {@code AVERROR(EAGAIN)} on Linux. */
    static final int EAGAIN = -11;

    private Errors() {
    }

    /** {@code av_strerror} plus the code. */
    static String describe(int error) {
        byte[] text = new byte[256];
        avutil.av_strerror(error, text, text.length);
        int length = 0;
        while (length < text.length && text[length] != 0) {
            length++;
        }
        return new String(text, 0, length, java.nio.charset.StandardCharsets.UTF_8) + " (" + error + ")";
    }

    /** FFmpeg's own log lines, if any, as a suffix for a message. */
    static String log(String lines) {
        return lines.isEmpty() ? "" : " [ffmpeg: " + lines + "]";
    }

    /** A codec tag as its four characters. */
    static String fourcc(int tag) {
        StringBuilder out = new StringBuilder(4);
        for (int i = 0; i < 4; i++) {
            int c = (tag >>> (8 * i)) & 0xff;
            out.append(c >= 32 && c < 127 ? (char) c : '?');
        }
        return "'" + out + "'";
    }
}

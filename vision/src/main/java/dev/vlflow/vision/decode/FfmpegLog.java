package dev.vlflow.vision.decode;

import java.util.ArrayDeque;
import java.util.Deque;
import org.bytedeco.ffmpeg.avutil.LogCallback;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacpp.BytePointer;

/**
 * FFmpeg's log, caught instead of printed. FFmpeg's messages at error level ({@code moov atom not found},
 * {@code Protocol 'file' not on whitelist}) say more than its error codes, so they are kept per thread and added to
 * the {@link dev.vlflow.vision.VideoException} message; nothing goes to stderr. FFmpeg's logging is process-wide:
 * installing this replaces whatever callback was set before (JavaCV's recorder banner included).
 */
public final class FfmpegLog extends LogCallback {

    private static final int KEPT_LINES = 4;
    private static final ThreadLocal<Deque<String>> RECENT = ThreadLocal.withInitial(ArrayDeque::new);
    // The native side holds only the function pointer: this reference keeps the callback alive.
    private static final FfmpegLog INSTANCE = new FfmpegLog();

    static {
        avutil.av_log_set_level(avutil.AV_LOG_ERROR);
        avutil.setLogCallback(INSTANCE);
    }

    private FfmpegLog() {
    }

    /** Makes sure the callback is installed (class initialization does it once). */
    public static void install() {
        // Loading the class runs the static initializer.
    }

    /** Forgets this thread's messages (call before an operation whose messages you want). */
    public static void clear() {
        RECENT.get().clear();
    }

    /** This thread's messages since the last {@link #clear()} or {@code drain()}, joined, and forgets them. */
    public static String drain() {
        Deque<String> lines = RECENT.get();
        String joined = String.join("; ", lines);
        lines.clear();
        return joined;
    }

    @Override
    public void call(int level, BytePointer message) {
        if (level > avutil.AV_LOG_ERROR) {
            return;
        }
        String text = message.getString().strip();
        if (text.isEmpty()) {
            return;
        }
        Deque<String> lines = RECENT.get();
        if (lines.size() == KEPT_LINES) {
            lines.removeFirst();
        }
        lines.addLast(text);
    }
}

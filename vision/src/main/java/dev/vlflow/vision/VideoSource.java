package dev.vlflow.vision;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where a video comes from: a local file, a URL (http, https, rtsp) or bytes held in memory (a segment's inline
 * data). Whether a source may be opened is decided when it is opened, against the {@link VideoLimits}; building one
 * never touches the file system or network.
 */
public sealed interface VideoSource permits VideoSource.File, VideoSource.Url, VideoSource.Bytes {

    /** A local file. FFmpeg always gets it as {@code file:<real path>}, so no protocol prefix applies. */
    record File(Path path) implements VideoSource {
        public File {
            Objects.requireNonNull(path, "path");
        }

        @Override
        public String describe() {
            return path.toString();
        }
    }

    /** A URL, checked against the allowed schemes and hosts when opened. */
    record Url(String url) implements VideoSource {
        public Url {
            Objects.requireNonNull(url, "url");
        }

        @Override
        public String describe() {
            return url;
        }
    }

    /**
     * A whole video file held in memory (an event's inline data). FFmpeg reads it through a memory buffer: no
     * temporary file, no protocol at all. Its size is checked against {@link VideoLimits#maxInlineBytes()}.
     *
     * @param data the bytes from position to limit (not copied; do not change them while the video is open)
     */
    record Bytes(ByteBuffer data) implements VideoSource {
        public Bytes {
            Objects.requireNonNull(data, "data");
            data = data.asReadOnlyBuffer();
        }

        @Override
        public String describe() {
            return "(" + data.remaining() + " inline bytes)";
        }
    }

    /** The source as a person named it, for messages. */
    String describe();

    static VideoSource file(Path path) {
        return new File(path);
    }

    static VideoSource url(String url) {
        return new Url(url);
    }

    static VideoSource bytes(ByteBuffer data) {
        return new Bytes(data);
    }

    /**
     * A command-line argument or event field: a {@code file:} URI ({@code file:///videos/a.mp4},
     * {@code file:clip.mp4}) is the {@link File} it names, so the file roots apply to it like to a plain path;
     * anything else that starts like a URL scheme ({@code http:}, {@code rtsp:}, also {@code concat:} — which the
     * limits then reject) is a {@link Url}; everything else a {@link File}. A file name that itself contains a colon
     * before any slash needs {@link #file(Path)}.
     */
    static VideoSource parse(String text) {
        Objects.requireNonNull(text, "text");
        // FFmpeg's protocol syntax: a name, optionally ",options", then ':' (subfile,,start,0,end,9,,:x).
        boolean looksLikeUrl = Pattern.compile("[A-Za-z][A-Za-z0-9+.\\-]+(,[^:/]*)?:").matcher(text).lookingAt();
        if (!looksLikeUrl) {
            return new File(Path.of(text));
        }
        if (text.toLowerCase(Locale.ROOT).startsWith("file:")) {
            return fileUri(text);
        }
        return new Url(text);
    }

    /** {@code file:///abs}, {@code file:/abs} or {@code file:relative}; a host or bad syntax stays a (forbidden) URL. */
    private static VideoSource fileUri(String text) {
        String rest = text.substring("file:".length());
        try {
            if (rest.startsWith("/")) {
                return new File(Path.of(URI.create("file:" + rest)));
            }
            return new File(Path.of(rest));
        } catch (IllegalArgumentException e) { // also InvalidPathException
            return new Url(text);
        }
    }
}

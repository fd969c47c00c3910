package dev.vlflow.vision;

import java.nio.file.Path;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where a video comes from: a local file or a URL (http, https, rtsp). Whether a source may be opened is decided
 * when it is opened, against the {@link VideoLimits}; building one never touches the file system or network.
 */
public sealed interface VideoSource permits VideoSource.File, VideoSource.Url {

    /** A local file. FFmpeg always gets it as {@code file:<absolute path>}, so no protocol prefix applies. */
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

    /** The source as a person named it, for messages. */
    String describe();

    static VideoSource file(Path path) {
        return new File(path);
    }

    static VideoSource url(String url) {
        return new Url(url);
    }

    /**
     * A command-line argument: anything that starts like a URL scheme ({@code http:}, {@code rtsp:}, also
     * {@code concat:} — which the limits then reject) is a {@link Url}, everything else a {@link File}. A file name
     * that itself contains a colon before any slash needs {@link #file(Path)}.
     */
    static VideoSource parse(String text) {
        Objects.requireNonNull(text, "text");
        // FFmpeg's protocol syntax: a name, optionally ",options", then ':' (subfile,,start,0,end,9,,:x).
        boolean looksLikeUrl = Pattern.compile("[A-Za-z][A-Za-z0-9+.\\-]+(,[^:/]*)?:").matcher(text).lookingAt();
        return looksLikeUrl ? new Url(text) : new File(Path.of(text));
    }
}

package dev.vlflow.vision;

import java.util.Objects;

/**
 * A video could not be read, for a reason a caller can act on. Every failure of this module's decoding path ends
 * here: nothing crashes the JVM, nothing leaks native memory, and {@link #kind()} says what happened.
 *
 * <p>Which kind a bad input gets:
 * <ul>
 *   <li>{@link Kind#NOT_FOUND}: no such file, a file outside the allowed file roots or a link out of them (told
 *       apart from a missing file neither by kind nor by message, so nothing is revealed about files outside the
 *       roots), or HTTP 404.</li>
 *   <li>{@link Kind#EMPTY}: a file of zero bytes.</li>
 *   <li>{@link Kind#NOT_A_VIDEO}: FFmpeg recognises no container in it (a text file), or the container holds no
 *       video stream (audio only, an album cover), or the path is a directory.</li>
 *   <li>{@link Kind#TRUNCATED}: the container is recognised but ends early: an MP4 whose index lies past the end
 *       of the file, or a stream that delivers fewer frames than its header declares.</li>
 *   <li>{@link Kind#CORRUPT}: the container is recognised but damaged: an unreadable header, or a frame the
 *       sampling needs that the decoder rejects or marks as damaged (garbage inside the data throws nothing in
 *       FFmpeg; this module checks frame counts and timestamps itself).</li>
 *   <li>{@link Kind#UNSUPPORTED_CODEC}: no decoder for the video stream's codec in the bundled FFmpeg.</li>
 *   <li>{@link Kind#RESOLUTION_TOO_LARGE}, {@link Kind#TOO_LONG}, {@link Kind#TOO_MANY_FRAMES}: over the
 *       {@link VideoLimits}, checked from the header before any decoding and again while reading.</li>
 *   <li>{@link Kind#TOO_LARGE}: inline video bytes over {@link VideoLimits#maxInlineBytes()}.</li>
 *   <li>{@link Kind#FORBIDDEN}: the URL's scheme or host is not allowed (also after a redirect), or FFmpeg was
 *       asked for a protocol or container that is not on the whitelist ({@code concat:}, {@code subfile:}, an HLS
 *       playlist, a concat list).</li>
 *   <li>{@link Kind#IO}: reading failed (connection refused, timeout, HTTP error other than 404).</li>
 * </ul>
 */
public final class VideoException extends Exception {

    private static final long serialVersionUID = 1L;

    /** What went wrong, coarse enough to branch on. */
    public enum Kind {
        NOT_FOUND,
        EMPTY,
        NOT_A_VIDEO,
        TRUNCATED,
        CORRUPT,
        UNSUPPORTED_CODEC,
        RESOLUTION_TOO_LARGE,
        TOO_LONG,
        TOO_MANY_FRAMES,
        TOO_LARGE,
        FORBIDDEN,
        IO
    }

    private final Kind kind;
    private final String source;

    public VideoException(Kind kind, String source, String detail) {
        super(kind + ": " + source + ": " + detail);
        this.kind = Objects.requireNonNull(kind, "kind");
        this.source = Objects.requireNonNull(source, "source");
    }

    /** What went wrong. */
    public Kind kind() {
        return kind;
    }

    /** The source as the caller named it (a path or a URL). */
    public String source() {
        return source;
    }
}

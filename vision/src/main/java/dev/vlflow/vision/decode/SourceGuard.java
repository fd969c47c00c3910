package dev.vlflow.vision.decode;

import dev.vlflow.vision.VideoException;
import dev.vlflow.vision.VideoException.Kind;
import dev.vlflow.vision.VideoLimits;
import dev.vlflow.vision.VideoSource;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decides whether a source may be opened and how FFmpeg gets it:
 * <ul>
 *   <li>a file must resolve (symbolic links followed, {@code ..} removed) inside a file root; FFmpeg gets
 *       {@code file:<real path>} with the protocol whitelist {@code file}, so a file named {@code concat:a|b} is
 *       just a file. A missing file and a file outside the roots are refused with the same kind and message
 *       ({@link #unavailable}), so a dead letter never tells whether a file exists outside the roots;</li>
 *   <li>an http(s) URL must have an allowed scheme and host and no user info; it is fetched by {@link HttpByteSource}
 *       (redirects checked again, hop by hop), and FFmpeg reads the bytes through {@link CustomIo} with no protocol
 *       allowed at all, so neither a redirect nor a playlist entry can make FFmpeg connect anywhere;</li>
 *   <li>an rtsp URL is opened by FFmpeg with the rtsp protocols only;</li>
 *   <li>inline bytes (at most {@link VideoLimits#maxInlineBytes()}) are read from memory, no protocol allowed.</li>
 * </ul>
 * Whatever the source, FFmpeg may only use the demuxers of {@link #CONTAINERS}: containers that hold their media
 * themselves. Playlists (HLS, DASH), concat lists, SDP files, image sequences and the like — formats that make the
 * demuxer open further files or connections — are refused ("not on whitelist", {@link Kind#FORBIDDEN}).
 */
public final class SourceGuard {

    /** A URL scheme, or an FFmpeg protocol name with options ({@code subfile,,start,0,end,9,,:}). */
    private static final Pattern SCHEME = Pattern.compile("([A-Za-z][A-Za-z0-9+.\\-]*)(,[^:/]*)?:");

    /** FFmpeg demuxers a video may be read with (FFmpeg's {@code format_whitelist}). */
    public static final String CONTAINERS = "mov,mp4,m4a,3gp,3g2,mj2,matroska,webm,avi,mpegts,flv,asf,mpeg,"
            + "mpegvideo,m4v,h264,hevc,ogg,ivf,nut,yuv4mpegpipe,wav,mp3,aac";

    /** FFmpeg's protocol whitelist when FFmpeg reads through {@link CustomIo}: no protocol has this name. */
    static final String NO_PROTOCOL = "none";

    /** How FFmpeg opens a checked source. */
    public sealed interface Target permits LocalFile, Rtsp, Fetched, Inline {
        /** Whether the bytes come over the network. */
        boolean network();
    }

    /** A file inside the roots, by its real path. */
    public record LocalFile(Path real) implements Target {
        @Override
        public boolean network() {
            return false;
        }
    }

    /** An rtsp URL FFmpeg opens itself. */
    public record Rtsp(URI uri) implements Target {
        @Override
        public boolean network() {
            return true;
        }
    }

    /** An http(s) URL this module fetches. */
    public record Fetched(URI uri, VideoLimits limits) implements Target {
        @Override
        public boolean network() {
            return true;
        }
    }

    /** Inline bytes. */
    public record Inline(ByteBuffer data) implements Target {
        @Override
        public boolean network() {
            return false;
        }
    }

    private SourceGuard() {
    }

    public static Target check(VideoSource source, VideoLimits limits) throws VideoException {
        if (source instanceof VideoSource.File file) {
            return checkFile(file.path(), source.describe(), limits);
        }
        if (source instanceof VideoSource.Bytes bytes) {
            return checkBytes(bytes, limits);
        }
        return checkUrl(((VideoSource.Url) source).url(), limits);
    }

    /**
     * The one answer for a file that is missing, unreadable on the way, outside the roots or a link out of them: the
     * same kind and words for all, so nothing is told about files outside the roots.
     */
    static VideoException unavailable(String name) {
        return new VideoException(Kind.NOT_FOUND, name, "no such file inside the allowed file roots");
    }

    private static Target checkFile(Path path, String name, VideoLimits limits) throws VideoException {
        Path absolute = path.toAbsolutePath().normalize();
        if (!underRoot(absolute, limits)) {
            throw unavailable(name);
        }
        Path real;
        try {
            real = absolute.toRealPath();
        } catch (IOException | SecurityException e) {
            throw unavailable(name);
        }
        if (!underRoot(real, limits)) {
            throw unavailable(name);
        }
        long size;
        try {
            if (Files.isDirectory(real)) {
                throw new VideoException(Kind.NOT_A_VIDEO, name, "is a directory");
            }
            if (!Files.isRegularFile(real)) {
                throw new VideoException(Kind.NOT_A_VIDEO, name, "not a regular file (device, pipe or socket)");
            }
            size = Files.size(real);
        } catch (IOException e) {
            throw new VideoException(Kind.IO, name, e.toString());
        }
        if (size == 0) {
            throw new VideoException(Kind.EMPTY, name, "file has zero bytes");
        }
        if (!Files.isReadable(real)) {
            throw new VideoException(Kind.IO, name, "file is not readable");
        }
        return new LocalFile(real);
    }

    private static boolean underRoot(Path path, VideoLimits limits) {
        for (Path root : limits.fileRoots()) {
            if (path.startsWith(root) || path.startsWith(realOrSelf(root))) {
                return true;
            }
        }
        return false;
    }

    private static Path realOrSelf(Path root) {
        try {
            return root.toRealPath();
        } catch (IOException e) {
            return root;
        }
    }

    private static Target checkBytes(VideoSource.Bytes bytes, VideoLimits limits) throws VideoException {
        int size = bytes.data().remaining();
        if (size == 0) {
            throw new VideoException(Kind.EMPTY, bytes.describe(), "no inline bytes");
        }
        if (size > limits.maxInlineBytes()) {
            throw new VideoException(Kind.TOO_LARGE, bytes.describe(), "inline video of " + size
                    + " bytes is over the limit of " + limits.maxInlineBytes() + " bytes");
        }
        return new Inline(bytes.data());
    }

    private static Target checkUrl(String url, VideoLimits limits) throws VideoException {
        URI uri = checkUri(url, limits);
        return uri.getScheme().equals("rtsp") ? new Rtsp(uri) : new Fetched(uri, limits);
    }

    /**
     * Checks a URL against the allowed schemes and hosts and returns it rebuilt from its parsed parts (scheme, host,
     * port, path, query), so FFmpeg or the fetcher connects to exactly the host that was checked. Also used for every
     * redirect {@link HttpByteSource} is sent.
     */
    static URI checkUri(String url, VideoLimits limits) throws VideoException {
        Matcher m = SCHEME.matcher(url);
        if (!m.lookingAt()) {
            throw new VideoException(Kind.FORBIDDEN, url, "not a URL");
        }
        String scheme = m.group(1).toLowerCase(Locale.ROOT);
        if (!limits.urlSchemes().contains(scheme)) {
            throw new VideoException(Kind.FORBIDDEN, url, "URL scheme '" + scheme + "' is not allowed (allowed: "
                    + limits.urlSchemes() + ")");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new VideoException(Kind.FORBIDDEN, url, "malformed URL: " + e.getMessage());
        }
        String host = uri.getHost();
        if (host == null || host.isEmpty()) {
            throw new VideoException(Kind.FORBIDDEN, url, "URL has no host");
        }
        if (uri.getRawUserInfo() != null) {
            throw new VideoException(Kind.FORBIDDEN, url, "URLs with user info are not accepted");
        }
        if (!limits.hostAllowed(host)) {
            throw new VideoException(Kind.FORBIDDEN, url, "host '" + host + "' is not allowed (allowed: "
                    + limits.urlHosts() + ")");
        }
        try {
            return new URI(scheme + "://" + uri.getRawAuthority() + (uri.getRawPath() == null ? ""
                    : uri.getRawPath()) + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()));
        } catch (URISyntaxException e) {
            throw new VideoException(Kind.FORBIDDEN, url, "malformed URL: " + e.getMessage());
        }
    }
}

package dev.vlflow.vision.decode;

import dev.vlflow.vision.VideoException;
import dev.vlflow.vision.VideoException.Kind;
import dev.vlflow.vision.VideoLimits;
import dev.vlflow.vision.VideoSource;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decides whether a source may be opened and how FFmpeg gets it. Files go to FFmpeg as {@code file:<real path>}
 * with the protocol whitelist {@code file}, so a file named {@code concat:a|b} is just a file; URLs must have an
 * allowed scheme and host, and FFmpeg may only use that scheme's protocols (an HLS playlist that points at
 * {@code file:} or {@code concat:} fails inside FFmpeg with "not on whitelist").
 */
public final class SourceGuard {

    /** A URL scheme, or an FFmpeg protocol name with options ({@code subfile,,start,0,end,9,,:}). */
    private static final Pattern SCHEME = Pattern.compile("([A-Za-z][A-Za-z0-9+.\\-]*)(,[^:/]*)?:");

    /** How FFmpeg opens a checked source. */
    public record Target(String ffmpegUrl, String protocolWhitelist, boolean network, String scheme) {
    }

    private SourceGuard() {
    }

    public static Target check(VideoSource source, VideoLimits limits) throws VideoException {
        if (source instanceof VideoSource.File file) {
            return checkFile(file.path(), source.describe(), limits);
        }
        return checkUrl(((VideoSource.Url) source).url(), limits);
    }

    private static Target checkFile(Path path, String name, VideoLimits limits) throws VideoException {
        Path absolute = path.toAbsolutePath().normalize();
        if (!underRoot(absolute, limits)) {
            throw new VideoException(Kind.FORBIDDEN, name, "outside the allowed file roots " + limits.fileRoots());
        }
        if (!Files.exists(absolute)) {
            throw new VideoException(Kind.NOT_FOUND, name, "no such file");
        }
        Path real;
        long size;
        try {
            real = absolute.toRealPath();
            if (!underRoot(real, limits)) {
                throw new VideoException(Kind.FORBIDDEN, name, "resolves to " + real + ", outside the allowed roots "
                        + limits.fileRoots());
            }
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
        return new Target("file:" + real, "file", false, "file");
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

    private static Target checkUrl(String url, VideoLimits limits) throws VideoException {
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
        if (!limits.hostAllowed(host)) {
            throw new VideoException(Kind.FORBIDDEN, url, "host '" + host + "' is not allowed (allowed: "
                    + limits.urlHosts() + ")");
        }
        String whitelist = switch (scheme) {
            case "http", "https" -> "http,https,tcp,tls";
            case "rtsp" -> "rtsp,rtp,udp,tcp";
            default -> throw new IllegalStateException("unsupported scheme passed the limits: " + scheme);
        };
        return new Target(uri.toASCIIString(), whitelist, true, scheme);
    }
}

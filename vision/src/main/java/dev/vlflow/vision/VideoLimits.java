package dev.vlflow.vision;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a video source may be and how big it may get. Checked before FFmpeg opens anything (roots, schemes, hosts),
 * from the container header (resolution, duration, frame count) and again while reading, since headers lie.
 *
 * @param fileRoots       a file must resolve (symbolic links followed) inside one of these directories
 * @param urlSchemes      allowed URL schemes, lower case; only {@code http}, {@code https} and {@code rtsp} can be
 *                        allowed at all — FFmpeg's pseudo-protocols ({@code concat:}, {@code subfile:},
 *                        {@code pipe:}, {@code data:} …) never are
 * @param urlHosts        allowed hosts: an exact name or address, {@code *.example.com} for subdomains, or
 *                        {@code *} for any host. An http(s) URL is fetched by this module, not by FFmpeg, and every
 *                        redirect is checked against the schemes and hosts again; an rtsp URL is opened by FFmpeg,
 *                        which follows RTSP redirects itself (allow rtsp only for trusted sources)
 * @param maxWidth        widest frame accepted, in pixels
 * @param maxHeight       tallest frame accepted, in pixels
 * @param maxDuration     longest video accepted (declared by the container, or seen while reading)
 * @param maxFrames       most frames a video may have (declared or counted)
 * @param maxSampledFrames most frames one sampling call may return (each is {@code 3·H·W} floats)
 * @param ioTimeout       a network read that stalls this long fails with {@link VideoException.Kind#IO}
 * @param maxInlineBytes  largest video accepted as {@link VideoSource.Bytes} (inline data of an event)
 */
public record VideoLimits(
        List<Path> fileRoots,
        Set<String> urlSchemes,
        List<String> urlHosts,
        int maxWidth,
        int maxHeight,
        Duration maxDuration,
        long maxFrames,
        int maxSampledFrames,
        Duration ioTimeout,
        long maxInlineBytes) {

    /** The URL schemes this module can open (each maps to an FFmpeg protocol whitelist). */
    public static final Set<String> SUPPORTED_SCHEMES = Set.of("http", "https", "rtsp");

    public VideoLimits {
        Objects.requireNonNull(fileRoots, "fileRoots");
        Objects.requireNonNull(urlSchemes, "urlSchemes");
        Objects.requireNonNull(urlHosts, "urlHosts");
        Objects.requireNonNull(maxDuration, "maxDuration");
        Objects.requireNonNull(ioTimeout, "ioTimeout");
        List<Path> roots = new ArrayList<>();
        for (Path root : fileRoots) {
            roots.add(root.toAbsolutePath().normalize());
        }
        fileRoots = List.copyOf(roots);
        Set<String> schemes = new TreeSet<>();
        for (String scheme : urlSchemes) {
            String s = scheme.toLowerCase(Locale.ROOT);
            if (!SUPPORTED_SCHEMES.contains(s)) {
                throw new IllegalArgumentException("URL scheme '" + scheme + "' cannot be allowed; supported: "
                        + SUPPORTED_SCHEMES);
            }
            schemes.add(s);
        }
        urlSchemes = Set.copyOf(schemes);
        urlHosts = urlHosts.stream().map(h -> h.toLowerCase(Locale.ROOT)).toList();
        if (maxWidth <= 0 || maxHeight <= 0) {
            throw new IllegalArgumentException("maxWidth and maxHeight must be positive: " + maxWidth + "x" + maxHeight);
        }
        if (maxDuration.isNegative() || maxDuration.isZero()) {
            throw new IllegalArgumentException("maxDuration must be positive: " + maxDuration);
        }
        if (maxFrames <= 0 || maxSampledFrames <= 0) {
            throw new IllegalArgumentException("maxFrames and maxSampledFrames must be positive");
        }
        if (ioTimeout.isNegative() || ioTimeout.isZero()) {
            throw new IllegalArgumentException("ioTimeout must be positive: " + ioTimeout);
        }
        if (maxInlineBytes <= 0) {
            throw new IllegalArgumentException("maxInlineBytes must be positive: " + maxInlineBytes);
        }
    }

    /**
     * For trusted callers only (a person's own files on the command line, tests): any local file, any
     * http/https/rtsp host, up to 8192×8192 pixels, 24 hours, 3 million frames (24 h at 30 fps is 2.6 million),
     * 1024 sampled frames, 30 s network stall, 64 MiB inline. Jobs build their limits from their configuration.
     */
    public static VideoLimits defaults() {
        List<Path> roots = new ArrayList<>();
        FileSystems.getDefault().getRootDirectories().forEach(roots::add);
        return new VideoLimits(roots, SUPPORTED_SCHEMES, List.of("*"), 8192, 8192, Duration.ofHours(24),
                3_000_000L, 1024, Duration.ofSeconds(30), 64L << 20);
    }

    /** Only files inside these directories; no network. */
    public static VideoLimits localFiles(Path... roots) {
        return defaults().withFileRoots(roots).withUrls(Set.of(), List.of());
    }

    public VideoLimits withFileRoots(Path... roots) {
        return new VideoLimits(List.of(roots), urlSchemes, urlHosts, maxWidth, maxHeight, maxDuration, maxFrames,
                maxSampledFrames, ioTimeout, maxInlineBytes);
    }

    public VideoLimits withUrls(Set<String> schemes, List<String> hosts) {
        return new VideoLimits(fileRoots, schemes, hosts, maxWidth, maxHeight, maxDuration, maxFrames,
                maxSampledFrames, ioTimeout, maxInlineBytes);
    }

    public VideoLimits withMaxResolution(int width, int height) {
        return new VideoLimits(fileRoots, urlSchemes, urlHosts, width, height, maxDuration, maxFrames,
                maxSampledFrames, ioTimeout, maxInlineBytes);
    }

    public VideoLimits withMaxDuration(Duration duration) {
        return new VideoLimits(fileRoots, urlSchemes, urlHosts, maxWidth, maxHeight, duration, maxFrames,
                maxSampledFrames, ioTimeout, maxInlineBytes);
    }

    public VideoLimits withMaxFrames(long frames) {
        return new VideoLimits(fileRoots, urlSchemes, urlHosts, maxWidth, maxHeight, maxDuration, frames,
                maxSampledFrames, ioTimeout, maxInlineBytes);
    }

    public VideoLimits withMaxSampledFrames(int frames) {
        return new VideoLimits(fileRoots, urlSchemes, urlHosts, maxWidth, maxHeight, maxDuration, maxFrames,
                frames, ioTimeout, maxInlineBytes);
    }

    public VideoLimits withIoTimeout(Duration timeout) {
        return new VideoLimits(fileRoots, urlSchemes, urlHosts, maxWidth, maxHeight, maxDuration, maxFrames,
                maxSampledFrames, timeout, maxInlineBytes);
    }

    public VideoLimits withMaxInlineBytes(long bytes) {
        return new VideoLimits(fileRoots, urlSchemes, urlHosts, maxWidth, maxHeight, maxDuration, maxFrames,
                maxSampledFrames, ioTimeout, bytes);
    }

    /** Whether a host name matches {@link #urlHosts()}. */
    public boolean hostAllowed(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        for (String pattern : urlHosts) {
            if (pattern.equals("*") || pattern.equals(h)
                    || (pattern.startsWith("*.") && h.endsWith(pattern.substring(1)))) {
                return true;
            }
        }
        return false;
    }
}

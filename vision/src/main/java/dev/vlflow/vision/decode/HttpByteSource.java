package dev.vlflow.vision.decode;

import dev.vlflow.vision.VideoException;
import dev.vlflow.vision.VideoException.Kind;
import dev.vlflow.vision.VideoLimits;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An http(s) video fetched here rather than by FFmpeg, so that every hop is checked: redirects are not followed by
 * the HTTP client but checked against the {@link VideoLimits} like the first URL ({@link SourceGuard#checkUri}) and
 * followed only when allowed, at most {@link #MAX_REDIRECTS} times. Seeks are byte-range requests (a server that
 * ignores ranges is read from the start and skipped forward). Connecting and every read time out after the limits'
 * I/O timeout.
 */
final class HttpByteSource implements ByteSource {

    static final int MAX_REDIRECTS = 5;
    /** A forward seek this short reads on instead of making a new request. */
    private static final long SKIP_INSTEAD_OF_SEEK = 256 * 1024;
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes \\d+-\\d+/(\\d+)");

    private final VideoLimits limits;
    private URI uri; // the last hop: later range requests go there directly
    private HttpURLConnection connection;
    private InputStream body;
    private long position;
    private long size = -1;
    private boolean ranges;

    private HttpByteSource(URI uri, VideoLimits limits) {
        this.uri = uri;
        this.limits = limits;
    }

    /** Requests the URL (following allowed redirects); fails with the kind of what went wrong. */
    static HttpByteSource open(URI uri, VideoLimits limits) throws IOException {
        HttpByteSource source = new HttpByteSource(uri, limits);
        try {
            source.request(0);
            return source;
        } catch (IOException | RuntimeException e) {
            source.close();
            throw e;
        }
    }

    private void request(long from) throws IOException {
        disconnect();
        for (int hop = 0; ; hop++) {
            HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection();
            c.setInstanceFollowRedirects(false);
            int timeout = (int) Math.min(Integer.MAX_VALUE, limits.ioTimeout().toMillis());
            c.setConnectTimeout(timeout);
            c.setReadTimeout(timeout);
            c.setRequestProperty("Accept-Encoding", "identity");
            c.setRequestProperty("User-Agent", "vlflow");
            if (from > 0) {
                c.setRequestProperty("Range", "bytes=" + from + "-");
            }
            int code = c.getResponseCode();
            if (code == 301 || code == 302 || code == 303 || code == 307 || code == 308) {
                String location = c.getHeaderField("Location");
                c.disconnect();
                if (location == null) {
                    throw new Failure(Kind.IO, "HTTP " + code + " without a Location");
                }
                if (hop == MAX_REDIRECTS) {
                    throw new Failure(Kind.IO, "more than " + MAX_REDIRECTS + " redirects");
                }
                uri = checkHop(location);
                continue;
            }
            if (code == 404 || code == 410) {
                c.disconnect();
                throw new Failure(Kind.NOT_FOUND, "HTTP " + code);
            }
            if (code != 200 && code != 206) {
                c.disconnect();
                throw new Failure(Kind.IO, "HTTP " + code);
            }
            connection = c;
            body = c.getInputStream();
            position = 0;
            if (code == 206) {
                ranges = true;
                Matcher m = CONTENT_RANGE.matcher(String.valueOf(c.getHeaderField("Content-Range")));
                position = from;
                if (m.matches()) {
                    size = Long.parseLong(m.group(1));
                }
            } else {
                ranges = ranges || "bytes".equalsIgnoreCase(c.getHeaderField("Accept-Ranges"));
                size = c.getContentLengthLong();
                skip(from);
            }
            return;
        }
    }

    /** A redirect target, resolved against the current URL and checked like the first URL. */
    private URI checkHop(String location) throws Failure {
        URI next;
        try {
            next = uri.resolve(location);
        } catch (IllegalArgumentException e) {
            throw new Failure(Kind.FORBIDDEN, "redirect to a malformed URL");
        }
        try {
            return SourceGuard.checkUri(next.toString(), limits);
        } catch (VideoException e) {
            throw new Failure(Kind.FORBIDDEN, "redirect refused: " + e.getMessage());
        }
    }

    private void skip(long bytes) throws IOException {
        long left = bytes;
        while (left > 0) {
            long n = body.skip(left);
            if (n <= 0) {
                if (body.read() < 0) {
                    throw new Failure(Kind.IO, "seek past the end of the body");
                }
                n = 1;
            }
            left -= n;
            position += n;
        }
    }

    @Override
    public int read(byte[] into, int offset, int length) throws IOException {
        int n = body.read(into, offset, length);
        if (n > 0) {
            position += n;
        }
        return n;
    }

    @Override
    public void seek(long to) throws IOException {
        if (to < 0) {
            throw new Failure(Kind.IO, "seek to " + to);
        }
        if (to == position) {
            return;
        }
        if (to > position && to - position <= SKIP_INSTEAD_OF_SEEK) {
            skip(to - position);
            return;
        }
        request(to);
    }

    @Override
    public long position() {
        return position;
    }

    @Override
    public OptionalLong size() {
        return size >= 0 ? OptionalLong.of(size) : OptionalLong.empty();
    }

    @Override
    public boolean seekable() {
        return ranges && size >= 0;
    }

    private void disconnect() {
        if (body != null) {
            try {
                body.close();
            } catch (IOException e) {
                // closing a half-read body
            }
            body = null;
        }
        if (connection != null) {
            connection.disconnect();
            connection = null;
        }
    }

    @Override
    public void close() {
        disconnect();
    }
}

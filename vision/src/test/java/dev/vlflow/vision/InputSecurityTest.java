package dev.vlflow.vision;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vlflow.vision.VideoException.Kind;
import dev.vlflow.vision.synthetic.VideoSpec;
import dev.vlflow.vision.synthetic.VideoSpec.Encoding;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The limits a job opens videos with, against hostile sources: files outside the roots (by path, {@code file:} URI,
 * {@code ..} or a symbolic link) look exactly like missing files; FFmpeg pseudo-protocols are refused; only allowed
 * hosts are contacted, also through redirects and playlists (a server on 127.0.0.2 stands for "another host" and
 * counts the requests it gets); inline bytes are capped.
 */
class InputSecurityTest {

    @TempDir
    static Path dir;
    static Path roots;
    static Path video;
    static Path outside;
    static TestHttpServer allowed;
    static TestHttpServer other;
    /** What a job allows: one data folder, http from 127.0.0.1 only. */
    static VideoLimits job;

    @BeforeAll
    static void start() throws IOException {
        roots = Files.createDirectories(dir.resolve("data"));
        video = TestVideos.write(VideoSpec.of(64, 48, 10, Duration.ofSeconds(1)), roots, "clip");
        outside = TestVideos.write(VideoSpec.of(64, 48, 10, Duration.ofSeconds(1)), dir, "secret");
        allowed = new TestHttpServer(InetAddress.getByName("127.0.0.1")).serveFile("/clip.mp4", video);
        other = new TestHttpServer(InetAddress.getByName("127.0.0.2")).serveFile("/clip.mp4", video)
                .serveFile("/seg.ts", TestVideos.write(VideoSpec.of(64, 48, 10, Duration.ofSeconds(1))
                        .withEncoding(Encoding.TS_MPEG4), dir, "seg"));
        job = VideoLimits.localFiles(roots).withUrls(Set.of("http", "https"), List.of("127.0.0.1"));
    }

    @AfterAll
    static void stop() {
        allowed.close();
        other.close();
    }

    private static VideoException failure(VideoSource source, VideoLimits limits) {
        return assertThrows(VideoException.class, () -> VideoSampler.sample(source, new SamplingPolicy.Uniform(2),
                TestVideos.LLAVA, limits));
    }

    private static Frames frames(VideoSource source, VideoLimits limits) throws VideoException {
        return VideoSampler.sample(source, new SamplingPolicy.Uniform(2), TestVideos.LLAVA, limits);
    }

    /** The message without the source's own name: what a dead letter says about the file. */
    private static String said(VideoException e) {
        return e.getMessage().replace(e.source(), "<source>");
    }

    @Test
    void filesOutsideTheRootsAreRefusedExactlyLikeMissingFiles() throws IOException, VideoException {
        VideoException missing = failure(VideoSource.file(roots.resolve("missing.mp4")), job);
        assertEquals(Kind.NOT_FOUND, missing.kind());
        Path link = Files.createSymbolicLink(roots.resolve("link.mp4"), outside);
        Path dangling = Files.createSymbolicLink(roots.resolve("dangling.mp4"), dir.resolve("nothing.mp4"));
        List<VideoSource> refused = List.of(
                VideoSource.parse("file:///etc/passwd"),
                VideoSource.parse("/etc/passwd"),
                VideoSource.parse("file://" + outside),
                VideoSource.file(outside),
                VideoSource.parse(roots + "/../secret.mp4"),
                VideoSource.parse(roots + "/../no-such.mp4"),
                VideoSource.file(link),
                VideoSource.file(dangling));
        for (VideoSource source : refused) {
            VideoException e = failure(source, job);
            assertEquals(Kind.NOT_FOUND, e.kind(), source::describe);
            assertEquals(said(missing), said(e), source::describe);
        }
        assertEquals(2, frames(VideoSource.parse("file://" + video), job).frames());
    }

    @Test
    void ffmpegPseudoProtocolsAreRefused() {
        for (String url : List.of("concat:" + video + "|" + video, "subfile,,start,0,end,100,,:" + video,
                "data:video/mp4;base64,AAAA", "pipe:0", "file,x:" + video)) {
            VideoException e = failure(VideoSource.parse(url), job);
            assertEquals(Kind.FORBIDDEN, e.kind(), url);
            assertTrue(e.getMessage().contains("is not allowed"), e::getMessage);
        }
    }

    @Test
    void onlyAllowedHostsAreContacted() throws VideoException {
        int before = other.requests();
        VideoException e = failure(VideoSource.parse(other.url("/clip.mp4")), job);
        assertEquals(Kind.FORBIDDEN, e.kind());
        assertTrue(e.getMessage().contains("host '127.0.0.2' is not allowed"), e::getMessage);
        assertEquals(before, other.requests());
        Frames viaHttp = frames(VideoSource.parse(allowed.url("/clip.mp4")), job);
        assertArrayEquals(frames(VideoSource.file(video), job).toArray(), viaHttp.toArray());
        assertEquals(Kind.FORBIDDEN, failure(VideoSource.parse("http://user@127.0.0.1:1/clip.mp4"), job).kind());
        assertEquals(Kind.FORBIDDEN, failure(VideoSource.parse(allowed.url("/clip.mp4")), VideoLimits
                .localFiles(roots)).kind(), "no hosts: no network");
    }

    @Test
    void redirectsAreCheckedHopByHop() throws VideoException {
        allowed.serveRedirect("/away", other.url("/clip.mp4"));
        allowed.serveRedirect("/here", allowed.url("/clip.mp4"));
        allowed.serveRedirect("/to-file", "file://" + video);
        int before = other.requests();
        VideoException e = failure(VideoSource.parse(allowed.url("/away")), job);
        assertEquals(Kind.FORBIDDEN, e.kind());
        assertTrue(e.getMessage().contains("redirect refused") && e.getMessage().contains("127.0.0.2"),
                e::getMessage);
        assertEquals(before, other.requests(), "the other host was never contacted");
        assertEquals(Kind.FORBIDDEN, failure(VideoSource.parse(allowed.url("/to-file")), job).kind());
        // A redirect to an allowed host is followed.
        assertEquals(2, frames(VideoSource.parse(allowed.url("/here")), job).frames());
    }

    @Test
    void playlistsAreRefusedSoTheirEntriesAreNeverOpened() {
        String playlist = "#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXTINF:1.0,\n" + other.url("/seg.ts")
                + "\n#EXT-X-ENDLIST\n";
        allowed.serveText("/list.m3u8", playlist);
        int before = other.requests();
        VideoException e = failure(VideoSource.parse(allowed.url("/list.m3u8")), job);
        assertEquals(Kind.FORBIDDEN, e.kind());
        assertTrue(e.getMessage().contains("container format not allowed"), e::getMessage);
        // Not even with both hosts allowed: a playlist is no video.
        VideoLimits both = job.withUrls(Set.of("http"), List.of("127.0.0.1", "127.0.0.2"));
        assertEquals(Kind.FORBIDDEN, failure(VideoSource.parse(allowed.url("/list.m3u8")), both).kind());
        assertEquals(before, other.requests(), "the playlist's entry was never fetched");
    }

    @Test
    void aLocalPlaylistCannotReachFilesOutsideTheRoots() throws IOException {
        Path list = Files.writeString(roots.resolve("list.m3u8"), "#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXTINF:1.0,\n"
                + outside + "\n#EXT-X-ENDLIST\n");
        assertEquals(Kind.FORBIDDEN, failure(VideoSource.file(list), job).kind());
        Path concat = Files.writeString(roots.resolve("list.ffconcat"), "ffconcat version 1.0\nfile " + outside
                + "\n");
        assertEquals(Kind.FORBIDDEN, failure(VideoSource.file(concat), job).kind());
    }

    @Test
    void inlineBytesAreReadFromMemoryAndCapped() throws IOException, VideoException {
        byte[] bytes = Files.readAllBytes(video);
        Frames inline = frames(VideoSource.bytes(ByteBuffer.wrap(bytes)), job);
        assertArrayEquals(frames(VideoSource.file(video), job).toArray(), inline.toArray());
        VideoException tooLarge = failure(VideoSource.bytes(ByteBuffer.wrap(bytes)),
                job.withMaxInlineBytes(bytes.length - 1));
        assertEquals(Kind.TOO_LARGE, tooLarge.kind());
        byte[] playlist = ("#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXTINF:1.0,\n" + outside + "\n#EXT-X-ENDLIST\n")
                .getBytes(StandardCharsets.UTF_8);
        // FFmpeg does not even take inline bytes for a playlist (no .m3u8 name); were it to, no protocol is allowed.
        Kind asPlaylist = failure(VideoSource.bytes(ByteBuffer.wrap(playlist)), job).kind();
        assertTrue(asPlaylist == Kind.NOT_A_VIDEO || asPlaylist == Kind.FORBIDDEN, asPlaylist::toString);
        byte[] cut = java.util.Arrays.copyOf(bytes, bytes.length / 2);
        // A damaged video is told apart in memory as from a file.
        Path cutFile = Files.write(roots.resolve("cut.mp4"), cut);
        assertEquals(failure(VideoSource.file(cutFile), job).kind(),
                failure(VideoSource.bytes(ByteBuffer.wrap(cut)), job).kind());
    }
}

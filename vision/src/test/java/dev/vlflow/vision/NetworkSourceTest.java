package dev.vlflow.vision;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vlflow.vision.VideoException.Kind;
import dev.vlflow.vision.synthetic.SyntheticVideo;
import dev.vlflow.vision.synthetic.VideoSpec;
import dev.vlflow.vision.synthetic.VideoSpec.Encoding;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** http(s)/rtsp sources against a local server: same frames as from a file, typed errors, protocol whitelist. */
class NetworkSourceTest {

    @TempDir
    static Path dir;
    static Path mp4;
    static TestHttpServer server;

    @BeforeAll
    static void start() throws IOException {
        mp4 = TestVideos.write(TestVideos.moving(Encoding.MP4_MPEG4), dir, "moving");
        server = new TestHttpServer().serveFile("/moving.mp4", mp4);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void httpGivesTheSameFramesAsTheFile() throws VideoException {
        SamplingPolicy policy = new SamplingPolicy.Uniform(8);
        Frames fromFile = VideoSampler.sample(VideoSource.file(mp4), policy, TestVideos.LLAVA, VideoLimits.defaults());
        Frames fromHttp = VideoSampler.sample(VideoSource.parse(server.url("/moving.mp4")), policy, TestVideos.LLAVA,
                VideoLimits.defaults());
        assertArrayEquals(fromFile.sourceFrameIndices(), fromHttp.sourceFrameIndices());
        assertArrayEquals(fromFile.timestampsMicros(), fromHttp.timestampsMicros());
        assertArrayEquals(fromFile.toArray(), fromHttp.toArray());
    }

    @Test
    void liveModeEmitsFramesBeforeTheStreamHasArrived() throws Exception {
        VideoSpec spec = VideoSpec.of(160, 120, 25, Duration.ofSeconds(8)).withFrameCode()
                .withEncoding(Encoding.TS_MPEG4);
        Path ts = TestVideos.write(spec, dir, "stream");
        CountDownLatch rest = new CountDownLatch(1);
        int firstHalf = (int) (Files.size(ts) / 2);
        server.serveSlowly("/live.ts", ts, firstHalf, rest);
        try (FrameStream stream = VideoSampler.open(VideoSource.parse(server.url("/live.ts")),
                new SamplingPolicy.Live(1), TestVideos.LLAVA, VideoLimits.defaults())) {
            // The server holds back the second half until we release it: these frames came from the first half.
            SampledFrame first = stream.next().orElseThrow();
            SampledFrame second = stream.next().orElseThrow();
            assertEquals(0, first.sourceFrameIndex());
            assertEquals(25, second.sourceFrameIndex());
            assertEquals(25, SyntheticVideo.readFrameCode(second.pixels(), 384, 384));
            rest.countDown();
            long last = second.sourceFrameIndex();
            int count = 2;
            while (true) {
                var next = stream.next();
                if (next.isEmpty()) {
                    break;
                }
                assertEquals(next.get().sourceFrameIndex(),
                        SyntheticVideo.readFrameCode(next.get().pixels(), 384, 384));
                assertTrue(next.get().sourceFrameIndex() > last);
                last = next.get().sourceFrameIndex();
                count++;
            }
            assertEquals(8, count);
        } finally {
            rest.countDown();
        }
    }

    @Test
    void httpNotFound() {
        assertEquals(Kind.NOT_FOUND, kindOf(server.url("/nothing-here.mp4"), VideoLimits.defaults()));
    }

    @Test
    void refusedConnectionsAreIoErrors() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        assertEquals(Kind.IO, kindOf("http://127.0.0.1:" + port + "/v.mp4", VideoLimits.defaults()));
        assertEquals(Kind.IO, kindOf("https://127.0.0.1:" + port + "/v.mp4", VideoLimits.defaults()));
        assertEquals(Kind.IO, kindOf("rtsp://127.0.0.1:" + port + "/stream", VideoLimits.defaults()));
    }

    @Test
    void aServerThatNeverAnswersTimesOut() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                try (Socket client = silent.accept()) {
                    client.setKeepAlive(false);   // hold the connection open and never answer
                    Thread.sleep(10_000);
                } catch (IOException | InterruptedException e) {
                    // test over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            long start = System.nanoTime();
            assertEquals(Kind.IO, kindOf("http://127.0.0.1:" + silent.getLocalPort() + "/v.mp4",
                    VideoLimits.defaults().withIoTimeout(Duration.ofMillis(500))));
            assertTrue(System.nanoTime() - start < 8e9, "gave up after the I/O timeout, not the server's sleep");
            acceptor.interrupt();
        }
    }

    @Test
    void aPlaylistCannotReachLocalFilesThroughFfmpeg() {
        String playlist = "#EXTM3U\n#EXT-X-TARGETDURATION:4\n#EXTINF:4.0,\nfile:" + mp4 + "\n#EXT-X-ENDLIST\n";
        server.serveText("/evil.m3u8", playlist);
        assertEquals(Kind.FORBIDDEN, kindOf(server.url("/evil.m3u8"), VideoLimits.defaults()));
        String concat = "#EXTM3U\n#EXT-X-TARGETDURATION:4\n#EXTINF:4.0,\nconcat:" + mp4 + "|" + mp4
                + "\n#EXT-X-ENDLIST\n";
        server.serveText("/concat.m3u8", concat);
        // FFmpeg resolves this entry against the playlist's http URL; whatever it makes of it, no local file is read.
        assertThrows(VideoException.class, () -> VideoSampler.sample(VideoSource.parse(server.url("/concat.m3u8")),
                new SamplingPolicy.Uniform(4), TestVideos.LLAVA, VideoLimits.defaults()));
    }

    @Test
    void hostsAndSchemesOutsideTheLimitsAreForbidden() {
        VideoLimits onlyExample = VideoLimits.defaults().withUrls(Set.of("https"), List.of("*.example.com"));
        assertEquals(Kind.FORBIDDEN, kindOf(server.url("/moving.mp4"), onlyExample));
        VideoLimits localhostHttp = VideoLimits.defaults().withUrls(Set.of("http"), List.of("127.0.0.1"));
        assertEquals(Kind.FORBIDDEN, kindOf("rtsp://127.0.0.1/stream", localhostHttp));
        assertEquals(Kind.FORBIDDEN, kindOf("http://10.0.0.1/v.mp4", localhostHttp));
        assertTrue(onlyExample.hostAllowed("cdn.example.com"));
        assertFalse(onlyExample.hostAllowed("example.com.evil.org"));
        assertFalse(VideoLimits.localFiles(dir).hostAllowed("127.0.0.1"));
    }

    private static Kind kindOf(String url, VideoLimits limits) {
        VideoException e = assertThrows(VideoException.class, () -> VideoSampler.sample(VideoSource.parse(url),
                new SamplingPolicy.Uniform(4), TestVideos.LLAVA, limits));
        return e.kind();
    }
}

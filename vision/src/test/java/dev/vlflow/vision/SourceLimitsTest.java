package dev.vlflow.vision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.vlflow.vision.VideoException.Kind;
import dev.vlflow.vision.synthetic.VideoSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which sources may be opened at all: file roots, symbolic links, URL schemes, FFmpeg pseudo-protocols. */
class SourceLimitsTest {

    @TempDir
    Path dir;

    private Kind kindOf(VideoSource source, VideoLimits limits) {
        return assertThrows(VideoException.class, () -> VideoSampler.sample(source, new SamplingPolicy.Uniform(2),
                TestVideos.LLAVA, limits)).kind();
    }

    @ParameterizedTest
    @ValueSource(strings = {"concat:a.mp4|b.mp4", "subfile,,start,0,end,100,,:a.mp4",
        "pipe:0", "data:video/mp4;base64,AAAA", "crypto:a.mp4", "tcp://127.0.0.1:1", "async:file:a.mp4", "ftp://h/v"})
    void ffmpegPseudoProtocolsAreForbidden(String url) {
        VideoSource source = VideoSource.parse(url);
        assertInstanceOf(VideoSource.Url.class, source);
        assertEquals(Kind.FORBIDDEN, kindOf(source, VideoLimits.defaults()));
    }

    @Test
    void onlyHttpHttpsAndRtspCanBeAllowed() {
        assertThrows(IllegalArgumentException.class,
                () -> VideoLimits.defaults().withUrls(Set.of("concat"), List.of("*")));
    }

    @Test
    void aFileNamedLikeAProtocolIsStillJustAFile() throws IOException {
        Path video = TestVideos.write(VideoSpec.of(64, 48, 10, Duration.ofSeconds(1)), dir, "plain");
        Path named = Files.copy(video, dir.resolve("concat:plain.mp4|plain.mp4"));
        Frames frames = assertDoesNotFail(VideoSource.file(named));
        assertEquals(2, frames.frames());
    }

    @Test
    void filesOutsideTheRootsLookLikeMissingFiles() throws IOException {
        Path inside = Files.createDirectories(dir.resolve("videos"));
        Path outside = TestVideos.write(VideoSpec.of(64, 48, 10, Duration.ofSeconds(1)), dir, "outside");
        VideoLimits limits = VideoLimits.localFiles(inside);
        // Outside the roots, existing or not, and missing inside: one kind, so nothing is revealed about the file.
        assertEquals(Kind.NOT_FOUND, kindOf(VideoSource.file(outside), limits));
        assertEquals(Kind.NOT_FOUND, kindOf(VideoSource.file(inside.resolve("../outside.mp4")), limits));
        assertEquals(Kind.NOT_FOUND, kindOf(VideoSource.file(dir.resolve("missing.mp4")), limits));
        assertEquals(Kind.NOT_FOUND, kindOf(VideoSource.file(inside.resolve("missing.mp4")), limits));
    }

    @Test
    void symbolicLinksOutOfTheRootsLookLikeMissingFiles() throws IOException {
        Path inside = Files.createDirectories(dir.resolve("videos"));
        Path outside = TestVideos.write(VideoSpec.of(64, 48, 10, Duration.ofSeconds(1)), dir, "outside");
        Path link = Files.createSymbolicLink(inside.resolve("link.mp4"), outside);
        assertEquals(Kind.NOT_FOUND, kindOf(VideoSource.file(link), VideoLimits.localFiles(inside)));
        assertEquals(2, assertDoesNotFail(VideoSource.file(link)).frames());
    }

    @Test
    void localFilesLimitsAllowNoNetwork() {
        assertEquals(Kind.FORBIDDEN, kindOf(VideoSource.parse("http://127.0.0.1/v.mp4"),
                VideoLimits.localFiles(dir)));
    }

    @Test
    void parseTellsFilesFromUrls() {
        assertInstanceOf(VideoSource.File.class, VideoSource.parse("videos/clip.mp4"));
        assertInstanceOf(VideoSource.File.class, VideoSource.parse("/abs/clip.mp4"));
        assertInstanceOf(VideoSource.Url.class, VideoSource.parse("https://example.com/clip.mp4"));
        assertInstanceOf(VideoSource.Url.class, VideoSource.parse("RTSP://camera/stream"));
        assertEquals(VideoSource.file(Path.of("/etc/passwd")), VideoSource.parse("file:///etc/passwd"));
        assertEquals(VideoSource.file(Path.of("/etc/passwd")), VideoSource.parse("file:/etc/passwd"));
        assertEquals(VideoSource.file(Path.of("clip.mp4")), VideoSource.parse("file:clip.mp4"));
        assertInstanceOf(VideoSource.Url.class, VideoSource.parse("file://host/etc/passwd"));
    }

    private Frames assertDoesNotFail(VideoSource source) {
        try {
            return VideoSampler.sample(source, new SamplingPolicy.Uniform(2), TestVideos.LLAVA, VideoLimits.defaults());
        } catch (VideoException e) {
            throw new AssertionError(e);
        }
    }
}

package dev.vlflow.connectors.videomme;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --videos given as the video folder or as the data set's root (video/, data/ or videos/ below it). */
class VideoMmeFilesTest {

    @TempDir
    Path root;

    @Test
    void theVideoFolderIsFoundBelowTheRoot() throws IOException {
        Files.createDirectories(root.resolve("subtitle"));
        Files.createDirectories(root.resolve("video"));
        Files.write(root.resolve("video/fFjv93ACGo8.mp4"), new byte[] {0});
        assertEquals(root.resolve("video"), VideoMmeFiles.videoDirectory(root));
        assertEquals(root.resolve("video"), VideoMmeFiles.videoDirectory(root.resolve("video")), "given directly");
    }

    @Test
    void lmmsEvalsDataFolderAndVideosFolder() throws IOException {
        Path a = Files.createDirectories(root.resolve("a/data"));
        Files.write(a.resolve("x.MP4"), new byte[] {0});
        assertEquals(a, VideoMmeFiles.videoDirectory(root.resolve("a")));
        Path b = Files.createDirectories(root.resolve("b/videos"));
        Files.write(b.resolve("x.mkv"), new byte[] {0});
        assertEquals(b, VideoMmeFiles.videoDirectory(root.resolve("b")));
    }

    @Test
    void noVideosAnywhereKeepsWhatWasGiven() throws IOException {
        Files.createDirectories(root.resolve("video")); // empty
        assertEquals(root, VideoMmeFiles.videoDirectory(root));
        assertEquals(root.resolve("missing"), VideoMmeFiles.videoDirectory(root.resolve("missing")));
    }
}

package dev.vlflow.connectors.videomme;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Where a video's files are. Video-MME's layouts: {@code video/<videoID>.mp4} and {@code subtitle/<videoID>.srt}
 * (the Hugging Face set), or files named by {@code video_id}. Videos are looked up by {@link VideoMmeVideo#fileStem}
 * then {@link VideoMmeVideo#videoId}, with extensions {@code .mp4 .MP4 .mkv .webm .avi .mov} (lmms-eval tries the
 * first three); subtitles in the subtitle directory, else next to the video, else in a sibling {@code subtitle/}.
 *
 * @param videoDir    the directory holding the videos
 * @param subtitleDir where the {@code .srt} files are, if elsewhere
 */
public record VideoMmeFiles(Path videoDir, Optional<Path> subtitleDir) {

    private static final List<String> VIDEO_EXTENSIONS = List.of(".mp4", ".MP4", ".mkv", ".webm", ".avi", ".mov");

    public VideoMmeFiles {
        Objects.requireNonNull(videoDir, "videoDir");
        Objects.requireNonNull(subtitleDir, "subtitleDir");
    }

    public VideoMmeFiles(Path videoDir) {
        this(videoDir, Optional.empty());
    }

    /** Where a data set keeps its videos below its root: the HF set's {@code video/}, lmms-eval's {@code data/}. */
    public static final List<String> VIDEO_SUBDIRECTORIES = List.of("video", "data", "videos");

    /**
     * The directory holding the videos, given either it or the data set's root: {@code given} itself when it holds
     * a video file, else its first {@link #VIDEO_SUBDIRECTORIES} entry that does, else {@code given} (so the
     * "no video file" message names what the user passed).
     */
    public static Path videoDirectory(Path given) {
        if (holdsVideos(given)) {
            return given;
        }
        for (String sub : VIDEO_SUBDIRECTORIES) {
            if (holdsVideos(given.resolve(sub))) {
                return given.resolve(sub);
            }
        }
        return given;
    }

    private static boolean holdsVideos(Path dir) {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (var files = Files.list(dir)) {
            return files.anyMatch(p -> VIDEO_EXTENSIONS.stream().anyMatch(e -> p.getFileName().toString().endsWith(e))
                    && Files.isRegularFile(p));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot list " + dir, e);
        }
    }

    /** The video file, or empty when none of the candidate names exists. */
    public Optional<Path> video(VideoMmeVideo v) {
        for (String stem : stems(v)) {
            for (String ext : VIDEO_EXTENSIONS) {
                Path p = videoDir.resolve(stem + ext);
                if (Files.isRegularFile(p)) {
                    return Optional.of(p);
                }
            }
        }
        return Optional.empty();
    }

    /** The names tried for a video, for error messages. */
    public List<Path> videoCandidates(VideoMmeVideo v) {
        List<Path> out = new ArrayList<>();
        for (String stem : stems(v)) {
            out.add(videoDir.resolve(stem + VIDEO_EXTENSIONS.get(0)));
        }
        return out;
    }

    /** The subtitle file, or empty when the video has none. */
    public Optional<Path> subtitles(VideoMmeVideo v) {
        List<Path> dirs = new ArrayList<>();
        subtitleDir.ifPresent(dirs::add);
        dirs.add(videoDir);
        Path parent = videoDir.toAbsolutePath().getParent();
        if (parent != null) {
            dirs.add(parent.resolve("subtitle"));
            dirs.add(parent.resolve("subtitles"));
        }
        for (Path dir : dirs) {
            for (String stem : stems(v)) {
                Path p = dir.resolve(stem + ".srt");
                if (Files.isRegularFile(p)) {
                    return Optional.of(p);
                }
            }
        }
        return Optional.empty();
    }

    private static Set<String> stems(VideoMmeVideo v) {
        Set<String> s = new LinkedHashSet<>();
        s.add(v.fileStem());
        s.add(v.videoId());
        return s;
    }
}

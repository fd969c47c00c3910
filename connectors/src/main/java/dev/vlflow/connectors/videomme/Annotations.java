package dev.vlflow.connectors.videomme;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A Video-MME annotation set: videos in file order, each with its questions.
 *
 * @param format which file format it was read from
 * @param videos the videos; ids unique, question ids unique
 */
public record Annotations(AnnotationFormat format, List<VideoMmeVideo> videos) {

    public Annotations {
        Objects.requireNonNull(format, "format");
        videos = List.copyOf(videos);
        Set<String> videoIds = new HashSet<>();
        Set<String> questionIds = new HashSet<>();
        for (VideoMmeVideo v : videos) {
            if (!videoIds.add(v.videoId())) {
                throw new IllegalArgumentException("video id " + v.videoId() + " appears twice");
            }
            for (VideoMmeQuestion q : v.questions()) {
                if (!questionIds.add(q.questionId())) {
                    throw new IllegalArgumentException("question id " + q.questionId() + " appears twice");
                }
            }
        }
    }

    /** Number of questions over all videos. */
    public int questionCount() {
        return videos.stream().mapToInt(v -> v.questions().size()).sum();
    }

    /**
     * Only the questions whose task type is in {@code taskTypes} (compared ignoring case); videos left without
     * questions are dropped. An empty set keeps everything.
     */
    public Annotations onlyTaskTypes(Set<String> taskTypes) {
        if (taskTypes.isEmpty()) {
            return this;
        }
        Set<String> wanted = new HashSet<>();
        taskTypes.forEach(t -> wanted.add(t.trim().toLowerCase(java.util.Locale.ROOT)));
        List<VideoMmeVideo> kept = new ArrayList<>();
        for (VideoMmeVideo v : videos) {
            List<VideoMmeQuestion> qs = v.questions().stream()
                    .filter(q -> wanted.contains(q.taskType().toLowerCase(java.util.Locale.ROOT))).toList();
            if (!qs.isEmpty()) {
                kept.add(v.withQuestions(qs));
            }
        }
        return new Annotations(format, kept);
    }

    /** The first {@code n} questions in file order (the last video kept may lose some of its questions). */
    public Annotations limitQuestions(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("limit must be >= 0, got " + n);
        }
        List<VideoMmeVideo> kept = new ArrayList<>();
        int left = n;
        for (VideoMmeVideo v : videos) {
            if (left == 0) {
                break;
            }
            VideoMmeVideo cut = v.withFirstQuestions(left);
            kept.add(cut);
            left -= cut.questions().size();
        }
        return new Annotations(format, kept);
    }
}

package dev.vlflow.connectors.videomme;

import java.util.List;
import java.util.Objects;

/**
 * One video of Video-MME and its questions (three in the real set).
 *
 * @param videoId     the benchmark's id ({@code "001"})
 * @param fileStem    the name of the video file without extension: the parquet's {@code videoID} (a YouTube id); for
 *                    the official JSON the id in its {@code url}, else {@code videoId}
 * @param duration    duration class
 * @param domain      one of the 6 domains ({@code video_category} / {@code domain})
 * @param subCategory one of the 30 sub-categories ({@code video_subcategory} / {@code sub_category})
 * @param url         source URL, empty when the file has none
 * @param questions   the questions, in file order
 */
public record VideoMmeVideo(String videoId, String fileStem, DurationClass duration, String domain,
                            String subCategory, String url, List<VideoMmeQuestion> questions) {

    public VideoMmeVideo {
        Objects.requireNonNull(videoId, "videoId");
        Objects.requireNonNull(fileStem, "fileStem");
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(subCategory, "subCategory");
        Objects.requireNonNull(url, "url");
        questions = List.copyOf(questions);
        if (videoId.isBlank() || fileStem.isBlank()) {
            throw new IllegalArgumentException("a video needs a non-blank id and file name");
        }
    }

    /** The same video with {@code kept} as its questions. */
    public VideoMmeVideo withQuestions(List<VideoMmeQuestion> kept) {
        return new VideoMmeVideo(videoId, fileStem, duration, domain, subCategory, url, kept);
    }

    /** The same video with only its first {@code n} questions. */
    public VideoMmeVideo withFirstQuestions(int n) {
        return new VideoMmeVideo(videoId, fileStem, duration, domain, subCategory, url,
                questions.subList(0, Math.min(n, questions.size())));
    }
}

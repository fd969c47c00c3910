package dev.vlflow.pipeline.dataset;

import dev.vlflow.connectors.videomme.DurationClass;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything a synthetic video shows, so its questions have known answers.
 *
 * @param videoId     e.g. {@code 007}; also names the files
 * @param duration    duration class
 * @param seconds     length in seconds
 * @param fps         frame rate
 * @param width       frame width
 * @param height      frame height
 * @param domain      Video-MME domain the video is filed under
 * @param subCategory Video-MME sub-category
 * @param shapes      shapes in order of appearance
 * @param secretWord  the word the subtitles name, for videos with subtitles
 */
public record Scene(String videoId, DurationClass duration, int seconds, double fps, int width, int height,
                    String domain, String subCategory, List<SceneShape> shapes, Optional<String> secretWord) {

    public Scene {
        Objects.requireNonNull(videoId, "videoId");
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(secretWord, "secretWord");
        shapes = List.copyOf(shapes);
        if (shapes.isEmpty()) {
            throw new IllegalArgumentException("a scene needs a shape");
        }
        for (int i = 1; i < shapes.size(); i++) {
            if (!(shapes.get(i).appearSeconds() > shapes.get(i - 1).appearSeconds())) {
                throw new IllegalArgumentException("shapes must appear one after another");
            }
        }
    }

    public boolean hasSubtitles() {
        return secretWord.isPresent();
    }
}

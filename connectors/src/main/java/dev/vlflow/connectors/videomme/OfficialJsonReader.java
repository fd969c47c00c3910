package dev.vlflow.connectors.videomme;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The official release JSON: an array of videos, questions nested.
 * <pre>
 * [ { "video_id": "001", "duration_category": "short", "video_category": "Knowledge",
 *     "video_subcategory": "Humanity &amp; History", "url": "https://www.youtube.com/watch?v=fFjv93ACGo8",
 *     "questions": [ { "question_id": "001-1", "task_type": "Counting Problem", "question": "...",
 *                      "choices": ["A. ...", "B. ...", "C. ...", "D. ..."], "answer": "A" } ] } ]
 * </pre>
 * Also accepted: {@code video_sub_category} (the README's spelling), {@code duration}, {@code options}, and a
 * {@code videoID} that names the video file. Unknown fields are ignored.
 */
public final class OfficialJsonReader implements AnnotationReader {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public Annotations read(Path file) {
        JsonNode root;
        try {
            root = JSON.readTree(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new AnnotationException(file + ": cannot read Video-MME JSON: " + e.getMessage(), e);
        }
        return parse(root, file.toString());
    }

    /** Parses an already loaded tree; {@code where} names the source in errors. */
    public static Annotations parse(JsonNode root, String where) {
        if (root == null || !root.isArray()) {
            throw new AnnotationException(where + ": expected a JSON array of videos");
        }
        List<VideoMmeVideo> videos = new ArrayList<>();
        for (int i = 0; i < root.size(); i++) {
            JsonNode v = root.get(i);
            String at = where + ": video #" + i;
            try {
                videos.add(video(v, at));
            } catch (IllegalArgumentException e) {
                throw new AnnotationException(at + ": " + e.getMessage(), e);
            }
        }
        try {
            return new Annotations(AnnotationFormat.OFFICIAL_JSON, videos);
        } catch (IllegalArgumentException e) {
            throw new AnnotationException(where + ": " + e.getMessage(), e);
        }
    }

    private static VideoMmeVideo video(JsonNode v, String at) {
        String videoId = text(v, at, "video_id");
        String url = optionalText(v, "url").orElse("");
        String stem = optionalText(v, "videoID").or(() -> YoutubeIds.fromUrl(url)).orElse(videoId);
        List<VideoMmeQuestion> questions = new ArrayList<>();
        JsonNode qs = v.get("questions");
        if (qs == null || !qs.isArray()) {
            throw new AnnotationException(at + " (" + videoId + "): missing 'questions' array");
        }
        for (JsonNode q : qs) {
            questions.add(question(q, at + " (" + videoId + ")"));
        }
        return new VideoMmeVideo(videoId, stem,
                DurationClass.fromLabel(text(v, at, "duration_category", "duration")),
                text(v, at, "video_category", "domain"),
                text(v, at, "video_subcategory", "video_sub_category", "sub_category"),
                url, questions);
    }

    private static VideoMmeQuestion question(JsonNode q, String at) {
        String id = text(q, at, "question_id");
        JsonNode choices = q.has("choices") ? q.get("choices") : q.get("options");
        if (choices == null || !choices.isArray()) {
            throw new AnnotationException(at + ", question " + id + ": missing 'choices' array");
        }
        List<String> options = new ArrayList<>();
        choices.forEach(c -> options.add(c.asText()));
        return new VideoMmeQuestion(id, text(q, at, "task_type"), text(q, at, "question"), options,
                text(q, at, "answer").trim(), optionalText(q, "answer_sentence"));
    }

    private static String text(JsonNode node, String at, String... names) {
        for (String name : names) {
            JsonNode f = node.get(name);
            if (f != null && !f.isNull()) {
                return f.asText();
            }
        }
        throw new AnnotationException(at + ": missing field '" + names[0] + "'");
    }

    private static Optional<String> optionalText(JsonNode node, String name) {
        JsonNode f = node.get(name);
        return f == null || f.isNull() || f.asText().isEmpty() ? Optional.empty() : Optional.of(f.asText());
    }
}

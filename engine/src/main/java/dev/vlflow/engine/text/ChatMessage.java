package dev.vlflow.engine.text;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One message of a conversation as Hugging Face chat templates see it: a role and a list of typed content parts.
 */
public record ChatMessage(String role, List<Part> content) {

    /** A content part: {@code {type: text, text: ...}}, {@code {type: image}} or {@code {type: video}}. */
    public sealed interface Part permits Text, Image, Video {
        Map<String, Object> toTemplateValue();
    }

    public record Text(String text) implements Part {
        @Override
        public Map<String, Object> toTemplateValue() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("type", "text");
            m.put("text", text);
            return m;
        }
    }

    public record Image() implements Part {
        @Override
        public Map<String, Object> toTemplateValue() {
            return Map.of("type", "image");
        }
    }

    public record Video() implements Part {
        @Override
        public Map<String, Object> toTemplateValue() {
            return Map.of("type", "video");
        }
    }

    public ChatMessage {
        if (role == null || role.isEmpty()) {
            throw new IllegalArgumentException("a message needs a role");
        }
        content = List.copyOf(content);
    }

    public static ChatMessage system(String text) {
        return new ChatMessage("system", List.of(new Text(text)));
    }

    /** A user turn about one video: the video first, then the question. */
    public static ChatMessage userWithVideo(String question) {
        return new ChatMessage("user", List.of(new Video(), new Text(question)));
    }

    public static ChatMessage user(String text) {
        return new ChatMessage("user", List.of(new Text(text)));
    }

    public static ChatMessage assistant(String text) {
        return new ChatMessage("assistant", List.of(new Text(text)));
    }

    /** The message as the template's {@code messages[i]}: {@code {role, content: [...]}}. */
    Map<String, Object> toTemplateValue() {
        List<Object> parts = new ArrayList<>();
        content.forEach(p -> parts.add(p.toTemplateValue()));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("role", role);
        m.put("content", parts);
        return m;
    }

    /** Number of {@code video} parts. */
    public long videos() {
        return content.stream().filter(p -> p instanceof Video).count();
    }
}

package dev.vlflow.engine;

import dev.vlflow.engine.model.ModelConfig;
import dev.vlflow.engine.text.ChatMessage;
import dev.vlflow.engine.text.ChatTemplate;
import dev.vlflow.engine.text.TextTokenizer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Where the video and the question go in the token stream, derived from the checkpoint's own chat template.
 *
 * <p>The template renders one user turn {@code [video, question]} (after an optional system message) and the
 * assistant's opening. That text is split at the single {@code <video>} placeholder: the part before it is the
 * {@linkplain #videoHeader() header} prefilled ahead of the frames; the part after it is the
 * {@linkplain #questionTail question tail} prefilled, after the video's closing newline row, for each question.
 * Because {@code <video>} is a special token, tokenizing the two parts separately gives exactly the ids of the
 * whole prompt with the placeholder removed. The placeholder's expansion ({@code frames x tokensPerFrame + 1}) is
 * what the session fills with frame embeddings and the newline row.
 */
final class PromptLayout {

    static final String VIDEO_PLACEHOLDER = "<video>";

    private final TextTokenizer tokenizer;
    private final ChatTemplate template;
    private final Optional<String> systemPrompt;
    private final int[] header;

    private PromptLayout(TextTokenizer tokenizer, ChatTemplate template, Optional<String> systemPrompt, int[] header) {
        this.tokenizer = tokenizer;
        this.template = template;
        this.systemPrompt = systemPrompt;
        this.header = header;
    }

    static PromptLayout open(Path directory, TextTokenizer tokenizer, ModelConfig config, Optional<String> systemPrompt) {
        ChatTemplate template = ChatTemplate.fromDirectory(directory);
        int videoId = tokenizer.tokenId(VIDEO_PLACEHOLDER);
        if (videoId != config.videoTokenId()) {
            throw new IllegalArgumentException("tokenizer maps " + VIDEO_PLACEHOLDER + " to " + videoId
                    + " but config.json names video_token_index " + config.videoTokenId());
        }
        String[] parts = split(template, systemPrompt, "?");
        return new PromptLayout(tokenizer, template, systemPrompt, tokenizer.encode(parts[0]));
    }

    /** Ids before the video: the chat header up to the {@code <video>} placeholder. */
    int[] videoHeader() {
        return header.clone();
    }

    /** Ids after the video for one question, through the assistant's opening. */
    int[] questionTail(String question) {
        String[] parts = split(template, systemPrompt, question);
        int[] head = tokenizer.encode(parts[0]);
        if (!Arrays.equals(head, header)) {
            throw new IllegalStateException("the chat template puts question-dependent text before the video");
        }
        return tokenizer.encode(parts[1]);
    }

    /** The whole prompt of a question asked without any video. */
    int[] textOnly(String question) {
        return tokenizer.encode(template.renderForGeneration(messages(systemPrompt, ChatMessage.user(question))));
    }

    private static String[] split(ChatTemplate template, Optional<String> systemPrompt, String question) {
        String rendered = template.renderForGeneration(messages(systemPrompt, ChatMessage.userWithVideo(question)));
        int at = rendered.indexOf(VIDEO_PLACEHOLDER);
        if (at < 0 || rendered.indexOf(VIDEO_PLACEHOLDER, at + 1) >= 0) {
            throw new IllegalArgumentException("the chat template must render exactly one " + VIDEO_PLACEHOLDER
                    + " for a user turn with one video; got: " + rendered);
        }
        return new String[] {rendered.substring(0, at), rendered.substring(at + VIDEO_PLACEHOLDER.length())};
    }

    private static List<ChatMessage> messages(Optional<String> systemPrompt, ChatMessage user) {
        List<ChatMessage> messages = new ArrayList<>();
        systemPrompt.ifPresent(s -> messages.add(ChatMessage.system(s)));
        messages.add(user);
        return messages;
    }

    /** The full prompt ids for a question about {@code frames} frames, the video placeholder expanded (for checks). */
    int[] fullPrompt(String question, int frames, ModelConfig config) {
        int[] tail = questionTail(question);
        int video = config.videoTokens(frames);
        int[] ids = Arrays.copyOf(header, header.length + video + tail.length);
        Arrays.fill(ids, header.length, header.length + video, config.videoTokenId());
        System.arraycopy(tail, 0, ids, header.length + video, tail.length);
        return ids;
    }
}

package dev.vlflow.engine;

import dev.vlflow.engine.model.ModelConfig;
import dev.vlflow.engine.text.ChatMessage;
import dev.vlflow.engine.text.ChatTemplate;
import dev.vlflow.engine.text.PromptBuilder;
import dev.vlflow.engine.text.SpecialTokens;
import dev.vlflow.engine.text.TextTokenizer;
import dev.vlflow.engine.text.VideoPrompt;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Where the video and the question go in a session's token stream, from the checkpoint's own chat template.
 *
 * <p>The template's rendering of a user turn {@code [video, question]} is split at its single {@code <video>}:
 * the ids before it are the {@linkplain #videoHeader() header}, prefilled ahead of the frames; the ids after it
 * are the {@linkplain #questionTail question tail}, prefilled for each question after the video's closing newline
 * row. {@code <video>} is a special token, so the split gives exactly the ids of the whole prompt.
 */
final class PromptLayout {

    private final TextTokenizer tokenizer;
    private final ChatTemplate template;
    private final PromptBuilder builder;
    private final Optional<String> systemPrompt;
    private final int[] header;

    private PromptLayout(TextTokenizer tokenizer, ChatTemplate template, PromptBuilder builder,
                         Optional<String> systemPrompt) {
        this.tokenizer = tokenizer;
        this.template = template;
        this.builder = builder;
        this.systemPrompt = systemPrompt;
        this.header = builder.videoQuestion("?", 1).header();
    }

    static PromptLayout open(Path directory, TextTokenizer tokenizer, ModelConfig config, Optional<String> systemPrompt) {
        int videoId = tokenizer.tokenId(SpecialTokens.VIDEO);
        if (videoId != config.videoTokenId()) {
            throw new IllegalArgumentException("tokenizer maps " + SpecialTokens.VIDEO + " to " + videoId
                    + " but config.json names video_token_index " + config.videoTokenId());
        }
        ChatTemplate template = ChatTemplate.fromDirectory(directory);
        return new PromptLayout(tokenizer, template, new PromptBuilder(template, tokenizer, config, systemPrompt),
                systemPrompt);
    }

    /** Ids before the video: the chat header up to the {@code <video>} placeholder. */
    int[] videoHeader() {
        return header.clone();
    }

    /** Ids after the video for one question, through the assistant's opening. */
    int[] questionTail(String question) {
        VideoPrompt prompt = builder.videoQuestion(question, 1);
        if (!Arrays.equals(prompt.header(), header)) {
            throw new IllegalStateException("the chat template puts question-dependent text before the video");
        }
        return prompt.tail();
    }

    /** The whole prompt of a question asked without any video. */
    int[] textOnly(String question) {
        List<ChatMessage> messages = new ArrayList<>();
        systemPrompt.ifPresent(s -> messages.add(ChatMessage.system(s)));
        messages.add(ChatMessage.user(question));
        return tokenizer.encode(template.renderForGeneration(messages));
    }

    /** The full prompt ids for a question about {@code frames} frames, the video placeholder expanded. */
    int[] fullPrompt(String question, int frames) {
        return builder.videoQuestion(question, frames).tokenIds();
    }
}

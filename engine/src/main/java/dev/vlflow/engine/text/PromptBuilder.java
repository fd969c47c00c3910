package dev.vlflow.engine.text;

import dev.vlflow.engine.model.ModelConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Renders a conversation with the checkpoint's chat template, tokenizes it and expands the {@code <video>}
 * placeholder to {@code frames x tokensPerFrame + 1} video token ids ({@link ModelConfig#videoTokens(int)}), as
 * transformers' {@code LlavaOnevisionProcessor} does. Optionally starts with a system message: the LLaVA /
 * lmms-eval {@code qwen_1_5} conversation uses {@value #QWEN_1_5_SYSTEM}; the hub template has none.
 */
public final class PromptBuilder {

    /** The system message of LLaVA-NeXT's {@code conv_qwen} ({@code qwen_1_5}) template. */
    public static final String QWEN_1_5_SYSTEM = "You are a helpful assistant.";

    private final ChatTemplate template;
    private final TextTokenizer tokenizer;
    private final ModelConfig config;
    private final Optional<String> systemPrompt;

    public PromptBuilder(ChatTemplate template, TextTokenizer tokenizer, ModelConfig config,
                         Optional<String> systemPrompt) {
        this.template = template;
        this.tokenizer = tokenizer;
        this.config = config;
        this.systemPrompt = systemPrompt;
    }

    /** The hub template as is: no system message. */
    public static PromptBuilder plain(ChatTemplate template, TextTokenizer tokenizer, ModelConfig config) {
        return new PromptBuilder(template, tokenizer, config, Optional.empty());
    }

    /** With the {@code qwen_1_5} system message, as lmms-eval's {@code llava_onevision} runs. */
    public static PromptBuilder qwen15(ChatTemplate template, TextTokenizer tokenizer, ModelConfig config) {
        return new PromptBuilder(template, tokenizer, config, Optional.of(QWEN_1_5_SYSTEM));
    }

    /** The text of one user turn {@code [video, question]} and the assistant's opening. */
    public String renderVideoQuestion(String question) {
        return template.renderForGeneration(conversation(ChatMessage.userWithVideo(question)));
    }

    /** The prompt ids of a question about one video of {@code frames} frames. */
    public VideoPrompt videoQuestion(String question, int frames) {
        return expand(renderVideoQuestion(question), frames);
    }

    /** The prompt ids of {@code messages} (one of which holds exactly one video part) plus the generation prompt. */
    public VideoPrompt render(List<ChatMessage> messages, int frames) {
        return expand(template.renderForGeneration(messages), frames);
    }

    private List<ChatMessage> conversation(ChatMessage user) {
        List<ChatMessage> messages = new ArrayList<>();
        systemPrompt.ifPresent(s -> messages.add(ChatMessage.system(s)));
        messages.add(user);
        return messages;
    }

    private VideoPrompt expand(String rendered, int frames) {
        if (frames <= 0) {
            throw new IllegalArgumentException("a video needs at least one frame, got " + frames);
        }
        int[] ids = tokenizer.encode(rendered);
        int video = config.videoTokenId();
        int at = -1;
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] == video) {
                if (at >= 0) {
                    throw new IllegalArgumentException("the prompt holds more than one " + SpecialTokens.VIDEO);
                }
                at = i;
            }
        }
        if (at < 0) {
            throw new IllegalArgumentException("the rendered prompt holds no " + SpecialTokens.VIDEO + " (id " + video
                    + "): " + rendered);
        }
        int slots = config.videoTokens(frames);
        int[] out = new int[ids.length - 1 + slots];
        System.arraycopy(ids, 0, out, 0, at);
        java.util.Arrays.fill(out, at, at + slots, video);
        System.arraycopy(ids, at + 1, out, at + slots, ids.length - at - 1);
        return new VideoPrompt(out, at, at + slots, frames);
    }
}

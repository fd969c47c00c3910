package dev.vlflow.engine.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;
import com.hubspot.jinjava.lib.tag.Tag;
import com.hubspot.jinjava.tree.Node;
import com.hubspot.jinjava.tree.TagNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A Hugging Face chat template (Jinja) rendered with Jinjava, configured like transformers' sandbox
 * ({@code trim_blocks}, {@code lstrip_blocks}), with {@code raise_exception(msg)} and the
 * {@code {% generation %}...{% endgeneration %}} block (rendered as its contents).
 */
public final class ChatTemplate {

    /**
     * The template of the llava-hf LLaVA-OneVision checkpoints (transformers' converter): per message
     * {@code <|im_start|>role\n}, {@code <image>\n} per image, {@code <video>\n} per video, the text,
     * {@code <|im_end|>\n}; then {@code <|im_start|>assistant\n} when a generation prompt is asked for.
     */
    public static final String LLAVA_ONEVISION = "{% for message in messages %}"
            + "{{'<|im_start|>' + message['role'] + '\n'}}"
            + "{# Render all images first #}"
            + "{% for content in message['content'] | selectattr('type', 'equalto', 'image') %}"
            + "{{ '<image>\n' }}{% endfor %}"
            + "{# Render all video then #}"
            + "{% for content in message['content'] | selectattr('type', 'equalto', 'video') %}"
            + "{{ '<video>\n' }}{% endfor %}"
            + "{# Render all text next #}"
            + "{% if message['role'] != 'assistant' %}"
            + "{% for content in message['content'] | selectattr('type', 'equalto', 'text') %}"
            + "{{ content['text'] }}{% endfor %}"
            + "{% else %}"
            + "{% for content in message['content'] | selectattr('type', 'equalto', 'text') %}"
            + "{% generation %}{{ content['text'] }}{% endgeneration %}{% endfor %}"
            + "{% endif %}"
            + "{{'<|im_end|>' + '\n'}}"
            + "{% endfor %}"
            + "{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String source;
    private final Jinjava jinjava;

    private ChatTemplate(String source) {
        this.source = source;
        this.jinjava = new Jinjava(JinjavaConfig.newBuilder().withTrimBlocks(true).withLstripBlocks(true).build());
        jinjava.getGlobalContext().registerTag(new GenerationTag());
        jinjava.getGlobalContext().registerFunction(
                new ELFunctionDefinition("", "raise_exception", ChatTemplate.class, "raiseException", String.class));
    }

    public static ChatTemplate of(String source) {
        return new ChatTemplate(source);
    }

    /**
     * The template of a checkpoint directory. The processor's template comes first, because for a vision-language
     * checkpoint it is the one that knows about image and video parts (transformers' {@code processor
     * .apply_chat_template}): {@code chat_template.jinja}, then {@code chat_template.json}, then
     * {@code chat_template} of {@code tokenizer_config.json} (a string, or the entry named {@code default} of a
     * list). The project's checkpoints hold the same template in all the places they write.
     */
    public static ChatTemplate fromDirectory(Path dir) {
        try {
            Path jinja = dir.resolve("chat_template.jinja");
            if (Files.isRegularFile(jinja)) {
                return of(Files.readString(jinja));
            }
            for (String file : List.of("chat_template.json", TokenizerFiles.TOKENIZER_CONFIG_JSON)) {
                Path path = dir.resolve(file);
                String found = Files.isRegularFile(path) ? templateOf(JSON.readTree(path.toFile())) : null;
                if (found != null) {
                    return of(found);
                }
            }
            throw new IllegalArgumentException("no chat template in " + dir
                    + " (chat_template.jinja, chat_template.json or tokenizer_config.json)");
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the chat template of " + dir + ": " + e.getMessage(), e);
        }
    }

    private static String templateOf(JsonNode root) {
        JsonNode t = root.get("chat_template");
        if (t == null || t.isNull()) {
            return null;
        }
        if (t.isTextual()) {
            return t.asText();
        }
        if (t.isArray()) {
            for (JsonNode named : t) {
                if ("default".equals(named.path("name").asText())) {
                    return named.path("template").asText();
                }
            }
        }
        return null;
    }

    public String source() {
        return source;
    }

    /** The conversation followed by the assistant's opening ({@code add_generation_prompt=True}). */
    public String renderForGeneration(List<ChatMessage> messages) {
        return render(messages, true);
    }

    /** The conversation as it stands ({@code add_generation_prompt=False}). */
    public String render(List<ChatMessage> messages) {
        return render(messages, false);
    }

    private String render(List<ChatMessage> messages, boolean addGenerationPrompt) {
        List<Object> values = new ArrayList<>();
        messages.forEach(m -> values.add(m.toTemplateValue()));
        Map<String, Object> bindings = new HashMap<>();
        bindings.put("messages", values);
        bindings.put("add_generation_prompt", addGenerationPrompt);
        bindings.put("bos_token", "");
        bindings.put("eos_token", SpecialTokens.IM_END);
        RenderResult result = jinjava.renderForResult(source, bindings);
        for (TemplateError error : result.getErrors()) {
            if (error.getSeverity() == TemplateError.ErrorType.FATAL) {
                throw new IllegalArgumentException("chat template failed: " + errorMessage(error));
            }
        }
        return result.getOutput();
    }

    private static String errorMessage(TemplateError error) {
        Throwable cause = error.getException();
        while (cause != null) {
            if (cause instanceof TemplateRaised raised) {
                return raised.getMessage();
            }
            cause = cause.getCause();
        }
        return error.getMessage() + " (line " + error.getLineno() + ")";
    }

    /** Target of the template function {@code raise_exception(message)}. */
    public static String raiseException(String message) {
        throw new TemplateRaised(message);
    }

    /** An error raised by the template itself. */
    static final class TemplateRaised extends RuntimeException {
        TemplateRaised(String message) {
            super(message);
        }
    }

    /** {@code {% generation %}...{% endgeneration %}}: marks assistant text for training masks; renders its body. */
    static final class GenerationTag implements Tag {
        @Override
        public String getName() {
            return "generation";
        }

        @Override
        public String getEndTagName() {
            return "endgeneration";
        }

        @Override
        public String interpret(TagNode tagNode, JinjavaInterpreter interpreter) {
            StringBuilder out = new StringBuilder();
            for (Node child : tagNode.getChildren()) {
                out.append(child.render(interpreter).getValue());
            }
            return out.toString();
        }
    }
}

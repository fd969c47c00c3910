package dev.vlflow.engine.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The LLaVA-OneVision chat template rendered by Jinjava gives exactly the strings transformers renders. */
class ChatTemplateTest {

    private final ChatTemplate template = ChatTemplate.of(ChatTemplate.LLAVA_ONEVISION);

    @Test
    void videoQuestion() {
        String question = "What colour is the square?\nA. red\nB. blue";
        assertEquals("<|im_start|>user\n<video>\n" + question + "<|im_end|>\n<|im_start|>assistant\n",
                template.renderForGeneration(List.of(ChatMessage.userWithVideo(question))));
    }

    @Test
    void withoutGenerationPrompt() {
        assertEquals("<|im_start|>user\n<video>\nQ<|im_end|>\n",
                template.render(List.of(ChatMessage.userWithVideo("Q"))));
    }

    @Test
    void qwen15SystemPromptAndAssistantTurnWithGenerationBlock() {
        List<ChatMessage> messages = List.of(ChatMessage.system(PromptBuilder.QWEN_1_5_SYSTEM),
                ChatMessage.userWithVideo("Q1"), ChatMessage.assistant("A"), ChatMessage.user("Q2"));
        assertEquals("<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n"
                + "<|im_start|>user\n<video>\nQ1<|im_end|>\n"
                + "<|im_start|>assistant\nA<|im_end|>\n"
                + "<|im_start|>user\nQ2<|im_end|>\n<|im_start|>assistant\n", template.renderForGeneration(messages));
    }

    @Test
    void imagesComeBeforeVideosBeforeText() {
        ChatMessage m = new ChatMessage("user", List.of(new ChatMessage.Text("look"), new ChatMessage.Video(),
                new ChatMessage.Image(), new ChatMessage.Image()));
        assertEquals("<|im_start|>user\n<image>\n<image>\n<video>\nlook<|im_end|>\n", template.render(List.of(m)));
    }

    @Test
    void raiseExceptionStopsRenderingWithItsMessage() {
        ChatTemplate strict = ChatTemplate.of("{% for m in messages %}{% if m['role'] == 'tool' %}"
                + "{{ raise_exception('tool messages are not supported') }}{% endif %}{{ m['role'] }}{% endfor %}");
        assertEquals("user", strict.render(List.of(ChatMessage.user("x"))));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> strict.render(List.of(new ChatMessage("tool", List.of()))));
        assertEquals("chat template failed: tool messages are not supported", e.getMessage());
    }

    @Test
    void trimsBlocksLikeTransformers() {
        ChatTemplate t = ChatTemplate.of("{% for m in messages %}\n    {{ m['role'] }}\n{% endfor %}\n");
        assertEquals("    user\n    assistant\n",
                t.render(List.of(ChatMessage.user("a"), ChatMessage.assistant("b"))));
    }

    @Test
    void readsTheTemplateOfACheckpointDirectory(@TempDir Path dir) throws IOException {
        TokenizerFiles.write(dir, BpeTrainer.train("a b", 0), ChatTemplate.LLAVA_ONEVISION, 32768);
        assertEquals(ChatTemplate.LLAVA_ONEVISION, ChatTemplate.fromDirectory(dir).source());
        Files.writeString(dir.resolve("tokenizer_config.json"),
                "{\"chat_template\": [{\"name\": \"tool_use\", \"template\": \"x\"}, "
                        + "{\"name\": \"default\", \"template\": \"{{ messages[0]['role'] }}!\"}]}");
        assertEquals("user!", ChatTemplate.fromDirectory(dir).render(List.of(ChatMessage.user("a"))));
        // the processor's template (video-aware in hub checkpoints) wins over the tokenizer's
        Files.writeString(dir.resolve("chat_template.json"), "{\"chat_template\": \"processor\"}");
        assertEquals("processor", ChatTemplate.fromDirectory(dir).source());
        Files.writeString(dir.resolve("chat_template.jinja"), "jinja");
        assertEquals("jinja", ChatTemplate.fromDirectory(dir).source());
        for (String f : List.of("tokenizer_config.json", "chat_template.json", "chat_template.jinja")) {
            Files.delete(dir.resolve(f));
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ChatTemplate.fromDirectory(dir));
        assertTrue(e.getMessage().startsWith("no chat template in"), e.getMessage());
    }
}

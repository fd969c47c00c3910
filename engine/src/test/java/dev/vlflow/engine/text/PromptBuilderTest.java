package dev.vlflow.engine.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.vlflow.engine.model.ModelConfig;
import dev.vlflow.engine.model.ModelConfigJson;
import dev.vlflow.engine.model.make.ModelMaker;
import dev.vlflow.engine.model.make.ModelPreset;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code <video>} expands to frames x tokensPerFrame + 1 video ids, in place, on a tiny-random checkpoint. */
class PromptBuilderTest {

    @TempDir
    static Path dir;
    static TextTokenizer tokenizer;
    static ModelConfig config;
    static PromptBuilder plain;

    @BeforeAll
    static void makeModel() {
        ModelMaker.make(ModelMaker.Request.of(ModelPreset.TINY_RANDOM, dir));
        tokenizer = TextTokenizer.open(dir);
        config = ModelConfigJson.read(dir);
        plain = PromptBuilder.plain(ChatTemplate.fromDirectory(dir), tokenizer, config);
    }

    @AfterAll
    static void close() {
        tokenizer.close();
    }

    @Test
    void videoExpandsToFramesTimesTokensPerFramePlusOne() {
        String q = "What colour is the square?";
        for (int frames : new int[] {1, 8, 32}) {
            VideoPrompt p = plain.videoQuestion(q, frames);
            assertEquals(frames * 16 + 1, p.videoTokens(), "tiny-random: 4x4 pooled tokens per frame + newline");
            assertEquals(config.videoTokens(frames), p.videoTokens());
            int[] ids = p.tokenIds();
            assertEquals(p.videoTokens(), Arrays.stream(ids).filter(i -> i == config.videoTokenId()).count());
            for (int i = p.videoStart(); i < p.videoEnd(); i++) {
                assertEquals(config.videoTokenId(), ids[i]);
            }
            assertArrayEquals(tokenizer.encode("<|im_start|>user\n"), p.header());
            assertArrayEquals(tokenizer.encode("\n" + q + "<|im_end|>\n<|im_start|>assistant\n"), p.tail());
            assertEquals(p.header().length + p.videoTokens() + p.tail().length, p.length());
        }
    }

    @Test
    void realModelCountIsFramesTimes196PlusOne() {
        // same rule with the 384 px tower: 27x27 patches pool to 14x14
        assertEquals(32 * 196 + 1, ModelPreset.SMALL_RANDOM.config(SpecialTokens.after(636), 641).videoTokens(32));
    }

    @Test
    void qwen15PutsTheSystemMessageFirst() {
        PromptBuilder qwen = PromptBuilder.qwen15(ChatTemplate.fromDirectory(dir), tokenizer, config);
        assertEquals("<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n<|im_start|>user\n<video>\nQ"
                + "<|im_end|>\n<|im_start|>assistant\n", qwen.renderVideoQuestion("Q"));
        VideoPrompt p = qwen.videoQuestion("Q", 4);
        assertArrayEquals(tokenizer.encode("<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n"
                + "<|im_start|>user\n"), p.header());
        assertEquals(65, p.videoTokens());
    }

    @Test
    void rejectsPromptsWithoutExactlyOneVideo() {
        assertThrows(IllegalArgumentException.class, () -> plain.videoQuestion("Q", 0));
        assertThrows(IllegalArgumentException.class, () -> plain.render(List.of(ChatMessage.user("no video")), 4));
        ChatMessage two = new ChatMessage("user", List.of(new ChatMessage.Video(), new ChatMessage.Video()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> plain.render(List.of(two), 4));
        assertEquals("the prompt holds more than one <video>", e.getMessage());
    }
}

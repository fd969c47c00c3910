package dev.vlflow.engine.model.make;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vlflow.engine.model.Checkpoint;
import dev.vlflow.engine.model.DType;
import dev.vlflow.engine.model.ModelConfig;
import dev.vlflow.engine.model.TensorLayout;
import dev.vlflow.engine.text.ChatTemplate;
import dev.vlflow.engine.text.SpecialTokens;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** make-model tiny-random: complete, consistent, deterministic. */
class ModelMakerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> FILES = List.of("config.json", "model.safetensors", "tokenizer.json",
            "tokenizer_config.json", "generation_config.json", "preprocessor_config.json",
            "video_processor/preprocessor_config.json", "processor_config.json", "chat_template.json");

    @TempDir
    Path root;

    @Test
    void sameSeedGivesByteIdenticalFiles() throws IOException {
        ModelMaker.Request a = ModelMaker.Request.of(ModelPreset.TINY_RANDOM, root.resolve("a")).withSeed(5);
        ModelMaker.make(a);
        ModelMaker.make(new ModelMaker.Request(a.preset(), root.resolve("b"), a.dtype(), a.layout(), 5,
                a.maxShardBytes()));
        TreeMap<String, byte[]> first = contents(root.resolve("a"));
        TreeMap<String, byte[]> second = contents(root.resolve("b"));
        assertEquals(first.keySet(), second.keySet());
        assertTrue(first.keySet().containsAll(FILES), "files: " + first.keySet());
        for (String name : first.keySet()) {
            assertArrayEquals(first.get(name), second.get(name), name);
        }
    }

    @Test
    void configNamesTheTokenizersSpecialTokens() throws IOException {
        ModelMaker.Made made = ModelMaker.make(ModelMaker.Request.of(ModelPreset.TINY_RANDOM, root));
        SpecialTokens s = made.specialTokens();
        JsonNode config = JSON.readTree(root.resolve("config.json").toFile());
        assertEquals(s.image(), config.get("image_token_index").asInt());
        assertEquals(s.video(), config.get("video_token_index").asInt());
        assertEquals(s.imEnd(), config.get("text_config").get("eos_token_id").asInt());
        assertEquals(s.endOfText(), config.get("text_config").get("bos_token_id").asInt());
        assertEquals("float32", config.get("torch_dtype").asText());
        JsonNode tokenizer = JSON.readTree(root.resolve("tokenizer.json").toFile());
        int bpeSize = tokenizer.get("model").get("vocab").size();
        assertEquals(s, SpecialTokens.after(bpeSize));
        for (JsonNode added : tokenizer.get("added_tokens")) {
            assertEquals(SpecialTokens.CONTENTS.get(added.get("id").asInt() - bpeSize), added.get("content").asText());
        }
        ModelConfig c = made.config();
        assertEquals(0, c.text().vocabSize() % 64);
        assertTrue(c.text().vocabSize() >= s.video() + 1 && c.text().vocabSize() < s.video() + 65);
        assertEquals(List.of(s.imEnd(), s.endOfText()), c.eosTokenIds());
        JsonNode tokConfig = JSON.readTree(root.resolve("tokenizer_config.json").toFile());
        assertEquals(ChatTemplate.LLAVA_ONEVISION, tokConfig.get("chat_template").asText());
        assertEquals("<|im_end|>", tokConfig.get("eos_token").asText());
        JsonNode generation = JSON.readTree(root.resolve("generation_config.json").toFile());
        assertEquals(s.imEnd(), generation.get("eos_token_id").get(0).asInt());
    }

    @Test
    void processorConfigsCarryThePresetsFrameSize() throws IOException {
        ModelMaker.make(ModelMaker.Request.of(ModelPreset.TINY_RANDOM, root));
        for (String file : List.of("preprocessor_config.json", "video_processor/preprocessor_config.json")) {
            JsonNode p = JSON.readTree(root.resolve(file).toFile());
            assertEquals(112, p.get("size").get("height").asInt(), file);
            assertEquals(112, p.get("size").get("width").asInt(), file);
            assertEquals(3, p.get("resample").asInt(), file);
            assertEquals(1 / 255.0, p.get("rescale_factor").asDouble(), 1e-12, file);
            for (int i = 0; i < 3; i++) {
                assertEquals(0.5, p.get("image_mean").get(i).asDouble(), file);
                assertEquals(0.5, p.get("image_std").get(i).asDouble(), file);
            }
        }
        JsonNode video = JSON.readTree(root.resolve("video_processor/preprocessor_config.json").toFile());
        assertEquals("LlavaOnevisionVideoProcessor", video.get("video_processor_type").asText());
        assertEquals(64, JSON.readTree(root.resolve("processor_config.json").toFile()).get("num_image_tokens").asInt());
    }

    @Test
    void smallRandomConfigHasQwen2HalfBillionDecoderDims() {
        ModelConfig c = ModelPreset.SMALL_RANDOM.config(SpecialTokens.after(636), 641);
        assertEquals(152000, c.text().vocabSize());
        assertEquals(896, c.text().hiddenSize());
        assertEquals(24, c.text().numHiddenLayers());
        assertEquals(14, c.text().numAttentionHeads());
        assertEquals(2, c.text().numKeyValueHeads());
        assertEquals(4864, c.text().intermediateSize());
        assertEquals(384, c.vision().imageSize());
        assertEquals(196, c.vision().tokensPerFrame());
        assertEquals(DType.BF16, ModelPreset.SMALL_RANDOM.defaultDtype());
        long params = Checkpoint.expectedTensors(c).values().stream()
                .mapToLong(s -> java.util.Arrays.stream(s).reduce(1, (x, y) -> x * y)).sum();
        assertEquals(529e6, params, 5e6); // 494 M decoder + 2-layer tower + projector
    }

    @Test
    void legacyLayoutUsesLegacyNames() throws IOException {
        ModelMaker.make(ModelMaker.Request.of(ModelPreset.TINY_RANDOM, root).withLayout(TensorLayout.LEGACY));
        String header = new String(Files.readAllBytes(root.resolve("model.safetensors")), 0, 20000,
                java.nio.charset.StandardCharsets.ISO_8859_1);
        assertTrue(header.contains("\"language_model.model.embed_tokens.weight\""));
        assertTrue(header.contains("\"image_newline\""));
        assertTrue(header.contains("\"vision_tower.vision_model.post_layernorm.bias\""));
        assertFalse(header.contains("\"model.language_model."));
        assertFalse(header.contains("lm_head"));
    }

    private static TreeMap<String, byte[]> contents(Path dir) throws IOException {
        TreeMap<String, byte[]> out = new TreeMap<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                out.put(dir.relativize(p).toString(), Files.readAllBytes(p));
            }
        }
        return out;
    }
}

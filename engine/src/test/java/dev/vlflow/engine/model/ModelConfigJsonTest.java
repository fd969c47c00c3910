package dev.vlflow.engine.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * config.json parsing: a config shaped like the hub's llava-onevision-qwen2-0.5b-ov-hf (which omits keys that have
 * transformers defaults) and the expected tensor shapes it implies (ECOSYSTEM.md section 2.6).
 */
class ModelConfigJsonTest {

    /** The keys the real 0.5B config.json holds (defaults such as rms_norm_eps and hidden_act omitted). */
    static final String HUB_CONFIG = """
            {
              "architectures": ["LlavaOnevisionForConditionalGeneration"],
              "image_grid_pinpoints": [[384, 384], [384, 768]],
              "image_token_index": 151646,
              "model_type": "llava_onevision",
              "text_config": {
                "_name_or_path": "Qwen/Qwen2-0.5B-Instruct",
                "architectures": ["Qwen2ForCausalLM"],
                "bos_token_id": 151643,
                "eos_token_id": 151645,
                "hidden_size": 896,
                "intermediate_size": 4864,
                "max_position_embeddings": 32768,
                "max_window_layers": 24,
                "model_type": "qwen2",
                "num_attention_heads": 14,
                "num_hidden_layers": 24,
                "num_key_value_heads": 2,
                "rope_theta": 1000000.0,
                "sliding_window": 32768,
                "tie_word_embeddings": true,
                "torch_dtype": "bfloat16",
                "use_sliding_window": false,
                "vocab_size": 152000
              },
              "tie_word_embeddings": false,
              "torch_dtype": "float16",
              "use_image_newline_parameter": true,
              "video_token_index": 151647,
              "vision_aspect_ratio": "anyres_max_9",
              "vision_config": {
                "hidden_size": 1152,
                "image_size": 384,
                "intermediate_size": 4304,
                "model_type": "siglip_vision_model",
                "num_attention_heads": 16,
                "num_hidden_layers": 26,
                "patch_size": 14,
                "vision_use_head": false
              },
              "vision_feature_layer": -1,
              "vision_feature_select_strategy": "full"
            }
            """;

    @TempDir
    Path dir;

    @Test
    void hubConfigParsesWithDefaults() throws IOException {
        Files.writeString(dir.resolve("config.json"), HUB_CONFIG);
        Files.writeString(dir.resolve("generation_config.json"),
                "{\"bos_token_id\": 151643, \"eos_token_id\": [151645, 151643]}");
        ModelConfig c = ModelConfigJson.read(dir);
        TextConfig t = c.text();
        assertEquals(new TextConfig(152000, 896, 4864, 24, 14, 2, 1e-6, 1e6, 32768, true), t);
        assertEquals(new VisionConfig(1152, 4304, 26, 16, 14, 384, 3, 1e-6, "gelu_pytorch_tanh"), c.vision());
        assertEquals(151646, c.imageTokenId());
        assertEquals(151647, c.videoTokenId());
        assertEquals(List.of(151645, 151643), c.eosTokenIds());
        assertEquals("gelu", c.projectorHiddenAct());
        assertEquals(196, c.vision().tokensPerFrame());
        assertEquals(6273, c.videoTokens(32));
    }

    @Test
    void expectedShapesOfTheRealModel() throws IOException {
        Files.writeString(dir.resolve("config.json"), HUB_CONFIG);
        Map<String, long[]> shapes = Checkpoint.expectedTensors(ModelConfigJson.read(dir));
        assertArrayEquals(new long[] {152000, 896}, shapes.get(Checkpoint.EMBED));
        assertArrayEquals(new long[] {128, 896}, shapes.get("model.language_model.layers.23.self_attn.k_proj.weight"));
        assertArrayEquals(new long[] {896, 4864}, shapes.get("model.language_model.layers.0.mlp.down_proj.weight"));
        assertArrayEquals(new long[] {896, 1152}, shapes.get("model.multi_modal_projector.linear_1.weight"));
        assertArrayEquals(new long[] {1152, 3, 14, 14},
                shapes.get("model.vision_tower.vision_model.embeddings.patch_embedding.weight"));
        assertArrayEquals(new long[] {729, 1152},
                shapes.get("model.vision_tower.vision_model.embeddings.position_embedding.weight"));
        assertArrayEquals(new long[] {4304, 1152},
                shapes.get("model.vision_tower.vision_model.encoder.layers.25.mlp.fc1.weight"));
        assertTrue(!shapes.containsKey(Checkpoint.LM_HEAD), "tied: no lm_head");
        long params = shapes.values().stream().mapToLong(s -> java.util.Arrays.stream(s).reduce(1, (a, b) -> a * b))
                .sum();
        // ECOSYSTEM.md 2.6: ~894 M parameters, 1.79 GB in 16-bit
        assertEquals(894e6, params, 3e6);
    }

    @Test
    void writtenConfigReadsBack() throws IOException {
        TextConfig text = new TextConfig(704, 128, 384, 4, 4, 2, 1e-6, 1e6, 32768, true);
        VisionConfig vision = new VisionConfig(96, 384, 2, 4, 14, 112, 3, 1e-6, "gelu_pytorch_tanh");
        ModelConfig config = new ModelConfig(text, vision, 639, 640, List.of(638, 636), "gelu");
        Files.writeString(dir.resolve("config.json"), ModelConfigJson.toJson(config, 636, DType.BF16).toString());
        assertEquals(config.text(), ModelConfigJson.read(dir).text());
        assertEquals(config.vision(), ModelConfigJson.read(dir).vision());
        assertEquals(List.of(638), ModelConfigJson.read(dir).eosTokenIds(), "config.json names <|im_end|>");
    }

    @Test
    void unsupportedSettingsAreNamed() throws IOException {
        Files.writeString(dir.resolve("config.json"), HUB_CONFIG.replace("\"full\"", "\"default\""));
        CheckpointException e = assertThrows(CheckpointException.class, () -> ModelConfigJson.read(dir));
        assertTrue(e.getMessage().contains("vision_feature_select_strategy"), e.getMessage());
        Files.writeString(dir.resolve("config.json"), HUB_CONFIG.replace("\"hidden_size\": 896", "\"hidden_size\": \"x\""));
        e = assertThrows(CheckpointException.class, () -> ModelConfigJson.read(dir));
        assertTrue(e.getMessage().contains("hidden_size is \"x\", not an integer"), e.getMessage());
        Files.writeString(dir.resolve("config.json"), HUB_CONFIG.replace("\"num_key_value_heads\": 2", "\"num_key_value_heads\": 3"));
        e = assertThrows(CheckpointException.class, () -> ModelConfigJson.read(dir));
        assertTrue(e.getMessage().contains("num_attention_heads 14 is not a multiple of num_key_value_heads 3"),
                e.getMessage());
    }
}

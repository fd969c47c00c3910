package dev.vlflow.engine.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The legacy <-> current name mapping, on names of the real llava-onevision-qwen2-0.5b-ov-hf file. */
class TensorLayoutTest {

    @Test
    void legacyNamesMapToCanonical() {
        assertEquals("model.language_model.layers.3.self_attn.q_proj.bias",
                TensorLayout.canonical("language_model.model.layers.3.self_attn.q_proj.bias"));
        assertEquals("lm_head.weight", TensorLayout.canonical("language_model.lm_head.weight"));
        assertEquals("model.vision_tower.vision_model.post_layernorm.weight",
                TensorLayout.canonical("vision_tower.vision_model.post_layernorm.weight"));
        assertEquals("model.multi_modal_projector.linear_1.bias",
                TensorLayout.canonical("multi_modal_projector.linear_1.bias"));
        assertEquals("model.image_newline", TensorLayout.canonical("image_newline"));
    }

    @Test
    void currentNamesAreCanonical() {
        for (String name : new String[] {"model.language_model.norm.weight", "lm_head.weight", "model.image_newline",
                "model.vision_tower.vision_model.embeddings.patch_embedding.weight",
                "model.multi_modal_projector.linear_2.weight"}) {
            assertEquals(name, TensorLayout.canonical(name));
            assertEquals(name, TensorLayout.CURRENT.stored(name));
            assertEquals(name, TensorLayout.canonical(TensorLayout.LEGACY.stored(name)));
        }
        assertEquals("language_model.model.norm.weight", TensorLayout.LEGACY.stored("model.language_model.norm.weight"));
        assertEquals("image_newline", TensorLayout.LEGACY.stored("model.image_newline"));
    }
}

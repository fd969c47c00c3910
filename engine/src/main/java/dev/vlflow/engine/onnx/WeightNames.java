package dev.vlflow.engine.onnx;

/**
 * Canonical checkpoint tensor names (the current Hugging Face layout) the graphs read, in one place.
 *
 * <pre>
 * model.language_model.embed_tokens.weight                               [V, H]
 * model.language_model.layers.N.input_layernorm.weight                   [H]
 * model.language_model.layers.N.self_attn.{q,k,v}_proj.{weight,bias}     [nH*hd | nKV*hd, H]
 * model.language_model.layers.N.self_attn.o_proj.weight                  [H, nH*hd]
 * model.language_model.layers.N.post_attention_layernorm.weight          [H]
 * model.language_model.layers.N.mlp.{gate,up}_proj.weight                [I, H];  down_proj [H, I]
 * model.language_model.norm.weight                                       [H];  lm_head.weight [V, H]
 * model.vision_tower.vision_model.embeddings.patch_embedding.{weight,bias} [Dv, C, p, p] / [Dv]
 * model.vision_tower.vision_model.embeddings.position_embedding.weight   [P, Dv]
 * model.vision_tower.vision_model.encoder.layers.M.{layer_norm1,layer_norm2}.{weight,bias}        [Dv]
 * model.vision_tower.vision_model.encoder.layers.M.self_attn.{q,k,v,out}_proj.{weight,bias}       [Dv, Dv]
 * model.vision_tower.vision_model.encoder.layers.M.mlp.fc1.{weight,bias} [Iv, Dv]; fc2 [Dv, Iv]
 * model.vision_tower.vision_model.post_layernorm.{weight,bias}           [Dv] (not used for features)
 * model.multi_modal_projector.linear_1.{weight,bias} [H, Dv]; linear_2 [H, H];  model.image_newline [H]
 * </pre>
 */
public final class WeightNames {

    public static final String EMBED_TOKENS = "model.language_model.embed_tokens.weight";
    public static final String FINAL_NORM = "model.language_model.norm.weight";
    public static final String LM_HEAD = "lm_head.weight";
    public static final String VISION = "model.vision_tower.vision_model.";
    public static final String PATCH_EMBEDDING = VISION + "embeddings.patch_embedding.";
    public static final String POSITION_EMBEDDING = VISION + "embeddings.position_embedding.weight";
    public static final String POST_LAYERNORM = VISION + "post_layernorm.";
    public static final String PROJECTOR = "model.multi_modal_projector.";
    public static final String IMAGE_NEWLINE = "model.image_newline";

    private WeightNames() {
    }

    /** {@code model.language_model.layers.N.} */
    public static String decoderLayer(int layer) {
        return "model.language_model.layers." + layer + ".";
    }

    /** {@code model.vision_tower.vision_model.encoder.layers.M.} */
    public static String visionLayer(int layer) {
        return VISION + "encoder.layers." + layer + ".";
    }
}

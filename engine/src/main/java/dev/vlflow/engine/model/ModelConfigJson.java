package dev.vlflow.engine.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads and writes a LLaVA-OneVision {@code config.json}. Missing keys take the defaults of transformers'
 * {@code LlavaOnevisionConfig}, {@code Qwen2Config} and {@code SiglipVisionConfig} (the hub files omit them), so a
 * real {@code llava-onevision-qwen2-0.5b-ov-hf} directory parses as well as one the project makes.
 */
public final class ModelConfigJson {

    public static final String CONFIG_FILE = "config.json";
    public static final String GENERATION_CONFIG_FILE = "generation_config.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private ModelConfigJson() {
    }

    /** Parses {@code dir/config.json} (and the eos ids of {@code generation_config.json} when present). */
    public static ModelConfig read(Path dir) {
        Path file = dir.resolve(CONFIG_FILE);
        if (!Files.isRegularFile(file)) {
            throw new CheckpointException("no " + CONFIG_FILE + " in " + dir);
        }
        JsonNode root = readJson(file);
        JsonNode generation = null;
        Path generationFile = dir.resolve(GENERATION_CONFIG_FILE);
        if (Files.isRegularFile(generationFile)) {
            generation = readJson(generationFile);
        }
        try {
            return parse(root, generation);
        } catch (IllegalArgumentException e) {
            throw new CheckpointException(file + ": " + e.getMessage(), e);
        }
    }

    static JsonNode readJson(Path file) {
        try {
            JsonNode node = JSON.readTree(file.toFile());
            if (node == null || !node.isObject()) {
                throw new CheckpointException(file + " is not a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw new CheckpointException(file + " is not valid JSON: " + e.getMessage(), e);
        }
    }

    /** Builds the config from parsed JSON; throws {@link IllegalArgumentException} naming the offending key. */
    static ModelConfig parse(JsonNode root, JsonNode generation) {
        String modelType = root.path("model_type").asText("");
        if (!modelType.equals("llava_onevision")) {
            throw new IllegalArgumentException("model_type is '" + modelType + "', expected 'llava_onevision'");
        }
        JsonNode text = root.get("text_config");
        JsonNode vision = root.get("vision_config");
        if (text == null || !text.isObject()) {
            throw new IllegalArgumentException("text_config is missing");
        }
        if (vision == null || !vision.isObject()) {
            throw new IllegalArgumentException("vision_config is missing");
        }
        requireValue(root, "vision_feature_select_strategy", "full");
        requireValue(root, "vision_feature_layer", "-1");
        String textType = text.path("model_type").asText("qwen2");
        if (!textType.equals("qwen2")) {
            throw new IllegalArgumentException("text_config.model_type is '" + textType + "'; only qwen2 is supported");
        }
        String textAct = text.path("hidden_act").asText("silu");
        if (!textAct.equals("silu")) {
            throw new IllegalArgumentException("text_config.hidden_act is '" + textAct + "'; only silu is supported");
        }
        int heads = intValue(text, "num_attention_heads", 32);
        int hidden = intValue(text, "hidden_size", 4096);
        int layers = intValue(text, "num_hidden_layers", 32);
        TextConfigJson.checkHeadDim(text, hidden, heads);
        TextConfigJson.checkSlidingWindow(text, layers);
        TextConfigJson.Rope rope = TextConfigJson.rope(text);
        TextConfig textConfig = new TextConfig(
                intValue(text, "vocab_size", 151936), hidden, intValue(text, "intermediate_size", 22016), layers, heads,
                text.hasNonNull("num_key_value_heads") ? intValue(text, "num_key_value_heads", heads) : heads,
                doubleValue(text, "rms_norm_eps", 1e-6), rope.theta(), intValue(text, "max_position_embeddings", 32768),
                TextConfigJson.tied(root, text), rope.linearFactor());
        VisionConfig visionConfig = new VisionConfig(
                intValue(vision, "hidden_size", 768), intValue(vision, "intermediate_size", 3072),
                intValue(vision, "num_hidden_layers", 12), intValue(vision, "num_attention_heads", 12),
                intValue(vision, "patch_size", 16), intValue(vision, "image_size", 224),
                intValue(vision, "num_channels", 3), doubleValue(vision, "layer_norm_eps", 1e-6),
                vision.path("hidden_act").asText("gelu_pytorch_tanh"));
        Set<Integer> eos = new LinkedHashSet<>();
        addIds(eos, text.get("eos_token_id"));
        addIds(eos, root.get("eos_token_id"));
        if (generation != null) {
            addIds(eos, generation.get("eos_token_id"));
        }
        return new ModelConfig(textConfig, visionConfig, intValue(root, "image_token_index", 151646),
                intValue(root, "video_token_index", 151647), new ArrayList<>(eos),
                root.path("projector_hidden_act").asText("gelu"));
    }

    /**
     * The {@code config.json} of a checkpoint the project writes, with the keys transformers reads.
     *
     * @param bosTokenId id of {@code <|endoftext|>}
     * @param dtype      the stored weight type ({@code torch_dtype})
     */
    public static ObjectNode toJson(ModelConfig config, int bosTokenId, DType dtype) {
        TextConfig t = config.text();
        VisionConfig v = config.vision();
        String torchDtype = torchDtype(dtype);
        ObjectNode root = JSON.createObjectNode();
        root.putArray("architectures").add("LlavaOnevisionForConditionalGeneration");
        root.put("model_type", "llava_onevision");
        root.put("image_token_index", config.imageTokenId());
        root.put("video_token_index", config.videoTokenId());
        root.put("projector_hidden_act", config.projectorHiddenAct());
        root.put("multimodal_projector_bias", true);
        root.put("vision_feature_layer", -1);
        root.put("vision_feature_select_strategy", "full");
        root.put("vision_aspect_ratio", "anyres_max_9");
        ArrayNode pinpoints = root.putArray("image_grid_pinpoints");
        for (int[] p : gridPinpoints(v.imageSize())) {
            pinpoints.addArray().add(p[0]).add(p[1]);
        }
        root.put("use_image_newline_parameter", true);
        root.put("tie_word_embeddings", t.tieWordEmbeddings());
        root.put("torch_dtype", torchDtype);
        ObjectNode text = root.putObject("text_config");
        text.putArray("architectures").add("Qwen2ForCausalLM");
        text.put("model_type", "qwen2");
        text.put("vocab_size", t.vocabSize());
        text.put("hidden_size", t.hiddenSize());
        text.put("intermediate_size", t.intermediateSize());
        text.put("num_hidden_layers", t.numHiddenLayers());
        text.put("num_attention_heads", t.numAttentionHeads());
        text.put("num_key_value_heads", t.numKeyValueHeads());
        text.put("hidden_act", "silu");
        text.put("max_position_embeddings", t.maxPositionEmbeddings());
        text.put("max_window_layers", t.numHiddenLayers());
        text.put("rms_norm_eps", t.rmsNormEps());
        text.put("head_dim", t.headDim());
        text.put("rope_theta", t.ropeTheta());
        if (t.ropeLinearFactor() == 1.0) {
            text.putNull("rope_scaling");
        } else {
            text.putObject("rope_scaling").put("rope_type", "linear").put("factor", t.ropeLinearFactor());
        }
        text.put("use_sliding_window", false);
        text.put("sliding_window", t.maxPositionEmbeddings());
        text.put("attention_dropout", 0.0);
        text.put("tie_word_embeddings", t.tieWordEmbeddings());
        text.put("bos_token_id", bosTokenId);
        text.put("eos_token_id", config.eosTokenIds().get(0));
        text.put("torch_dtype", torchDtype);
        ObjectNode vision = root.putObject("vision_config");
        vision.put("model_type", "siglip_vision_model");
        vision.put("hidden_size", v.hiddenSize());
        vision.put("intermediate_size", v.intermediateSize());
        vision.put("num_hidden_layers", v.numHiddenLayers());
        vision.put("num_attention_heads", v.numAttentionHeads());
        vision.put("num_channels", v.numChannels());
        vision.put("image_size", v.imageSize());
        vision.put("patch_size", v.patchSize());
        vision.put("hidden_act", v.hiddenAct());
        vision.put("layer_norm_eps", v.layerNormEps());
        vision.put("attention_dropout", 0.0);
        vision.put("vision_use_head", false);
        return root;
    }

    /** anyres grid pinpoints: every (i, j) multiple of the image size, i, j in 1..6 (384 -> up to 2304). */
    public static List<int[]> gridPinpoints(int imageSize) {
        List<int[]> points = new ArrayList<>();
        for (int i = 1; i <= 6; i++) {
            for (int j = 1; j <= 6; j++) {
                points.add(new int[] {i * imageSize, j * imageSize});
            }
        }
        return points;
    }

    static String torchDtype(DType dtype) {
        return switch (dtype) {
            case F32 -> "float32";
            case F16 -> "float16";
            case BF16 -> "bfloat16";
        };
    }

    private static void requireValue(JsonNode root, String key, String expected) {
        JsonNode node = root.get(key);
        if (node != null && !node.isNull() && !node.asText().equals(expected)) {
            throw new IllegalArgumentException(key + " is " + node + "; only " + expected + " is supported");
        }
    }

    private static int intValue(JsonNode node, String key, int fallback) {
        JsonNode value = node.get(key);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.canConvertToInt() || !value.isIntegralNumber()) {
            throw new IllegalArgumentException(key + " is " + value + ", not an integer");
        }
        return value.asInt();
    }

    private static double doubleValue(JsonNode node, String key, double fallback) {
        JsonNode value = node.get(key);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.isNumber()) {
            throw new IllegalArgumentException(key + " is " + value + ", not a number");
        }
        return value.asDouble();
    }

    private static void addIds(Set<Integer> ids, JsonNode node) {
        if (node == null || node.isNull()) {
            return;
        }
        if (node.isArray()) {
            node.forEach(n -> ids.add(n.asInt()));
        } else if (node.isIntegralNumber()) {
            ids.add(node.asInt());
        }
    }
}

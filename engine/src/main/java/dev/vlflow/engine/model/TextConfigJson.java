package dev.vlflow.engine.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;
import java.util.OptionalInt;
import java.util.stream.IntStream;

/**
 * The Qwen2 {@code text_config} keys whose spelling differs between transformers v4 and v5, or whose values the
 * engine cannot run: RoPE ({@code rope_theta}, {@code rope_scaling}, {@code rope_parameters}), {@code head_dim},
 * sliding-window attention and the precedence of {@code tie_word_embeddings}. Every value is either used or refused
 * with an {@link IllegalArgumentException} naming the key; none is ignored.
 */
final class TextConfigJson {

    /** transformers' default {@code rope_theta} (Qwen2Config and the v5 standardisation). */
    static final double DEFAULT_ROPE_THETA = 10000.0;

    private TextConfigJson() {
    }

    /** RoPE as the decoder runs it: base and linear factor (1 = plain). */
    record Rope(double theta, double linearFactor) {
    }

    /**
     * RoPE from either layout:
     * <ul>
     *   <li>v4: {@code text_config.rope_theta} (default 1e4) and {@code text_config.rope_scaling}
     *       ({@code null} or {@code {"rope_type"|"type": ..., "factor": ...}});</li>
     *   <li>v5: {@code text_config.rope_parameters = {"rope_type": ..., "rope_theta": ..., "factor": ...}}.</li>
     * </ul>
     * When both are present they must agree. Types: {@code default} and {@code linear} (exact: transformers divides
     * the inverse frequencies by {@code factor}); {@code dynamic}, {@code yarn}, {@code longrope}, {@code llama3}
     * and anything else are refused.
     */
    static Rope rope(JsonNode text) {
        JsonNode parameters = text.get("rope_parameters");
        JsonNode scaling = text.get("rope_scaling");
        Double legacyTheta = text.hasNonNull("rope_theta") ? number(text, "rope_theta", "text_config.rope_theta")
                : null;
        Rope legacy = scaling == null || scaling.isNull()
                ? new Rope(legacyTheta == null ? DEFAULT_ROPE_THETA : legacyTheta, 1.0)
                : scaled(scaling, "text_config.rope_scaling", legacyTheta == null ? DEFAULT_ROPE_THETA : legacyTheta);
        if (parameters == null || parameters.isNull()) {
            return legacy;
        }
        if (!parameters.isObject()) {
            throw new IllegalArgumentException("text_config.rope_parameters is " + parameters + ", not an object");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = parameters.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getValue().isObject()) {
                throw new IllegalArgumentException("text_config.rope_parameters." + e.getKey()
                        + ": RoPE per layer type is not supported (one set of parameters for every layer is)");
            }
        }
        double theta = parameters.hasNonNull("rope_theta")
                ? number(parameters, "rope_theta", "text_config.rope_parameters.rope_theta")
                : legacyTheta == null ? DEFAULT_ROPE_THETA : legacyTheta;
        Rope v5 = scaled(parameters, "text_config.rope_parameters", theta);
        if (legacyTheta != null && legacyTheta != theta) {
            throw new IllegalArgumentException("text_config.rope_theta " + legacyTheta
                    + " disagrees with text_config.rope_parameters.rope_theta " + theta);
        }
        if (scaling != null && !scaling.isNull() && !legacy.equals(v5)) {
            throw new IllegalArgumentException("text_config.rope_scaling " + scaling
                    + " disagrees with text_config.rope_parameters " + parameters);
        }
        return v5;
    }

    private static Rope scaled(JsonNode node, String where, double theta) {
        if (!node.isObject()) {
            throw new IllegalArgumentException(where + " is " + node + ", not an object");
        }
        // v4 accepted the legacy key "type" for "rope_type"
        String type = node.hasNonNull("rope_type") ? node.get("rope_type").asText()
                : node.hasNonNull("type") ? node.get("type").asText() : "default";
        if (node.hasNonNull("partial_rotary_factor")
                && number(node, "partial_rotary_factor", where + ".partial_rotary_factor") != 1.0) {
            throw new IllegalArgumentException(where + ".partial_rotary_factor is "
                    + node.get("partial_rotary_factor") + "; only 1.0 (RoPE over the whole head) is supported");
        }
        return switch (type) {
            case "default" -> new Rope(theta, 1.0);
            case "linear" -> {
                if (!node.hasNonNull("factor")) {
                    throw new IllegalArgumentException(where + ": rope_type linear needs a factor");
                }
                double factor = number(node, "factor", where + ".factor");
                if (!(factor > 0) || Double.isInfinite(factor)) {
                    throw new IllegalArgumentException(where + ".factor is " + factor + ", not a positive number");
                }
                yield new Rope(theta, factor);
            }
            default -> throw new IllegalArgumentException(where + " has rope_type '" + type
                    + "'; vlflow implements 'default' and 'linear' RoPE only (dynamic, yarn, longrope and llama3"
                    + " change the frequencies in ways it does not compute)");
        };
    }

    /**
     * {@code head_dim}: transformers' Qwen2 uses {@code config.head_dim} when present, else
     * {@code hidden_size / num_attention_heads}; the engine's projections assume the latter, so any other value is
     * refused.
     */
    static void checkHeadDim(JsonNode text, int hiddenSize, int heads) {
        JsonNode node = text.get("head_dim");
        if (node == null || node.isNull() || heads <= 0) {
            return;
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt()) {
            throw new IllegalArgumentException("text_config.head_dim is " + node + ", not an integer");
        }
        if (node.asInt() * heads != hiddenSize) {
            throw new IllegalArgumentException("text_config.head_dim is " + node.asInt()
                    + "; vlflow supports only head_dim = hidden_size / num_attention_heads = " + hiddenSize + " / "
                    + heads + (hiddenSize % heads == 0 ? " = " + hiddenSize / heads : ""));
        }
    }

    /**
     * Sliding-window attention as transformers' Qwen2 decides it: {@code sliding_window} counts only when
     * {@code use_sliding_window} is true; layer {@code i} then slides when {@code layer_types[i]} is
     * {@code "sliding_attention"} or, without {@code layer_types}, when {@code i >= max_window_layers}. The engine
     * attends over the whole context, so a config where any layer slides is refused; a disabled window is accepted.
     */
    static void checkSlidingWindow(JsonNode text, int layers) {
        JsonNode types = text.get("layer_types");
        if (types != null && !types.isNull()) {
            if (!types.isArray() || types.size() != layers) {
                throw new IllegalArgumentException("text_config.layer_types must list one type for each of the "
                        + layers + " layers, got " + types);
            }
            for (JsonNode t : types) {
                if (!t.asText().equals("full_attention") && !t.asText().equals("sliding_attention")) {
                    throw new IllegalArgumentException("text_config.layer_types holds '" + t.asText()
                            + "'; known types are full_attention and sliding_attention");
                }
            }
        }
        JsonNode use = text.get("use_sliding_window");
        if (use != null && !use.isNull() && !use.isBoolean()) {
            throw new IllegalArgumentException("text_config.use_sliding_window is " + use + ", not a boolean");
        }
        JsonNode window = text.get("sliding_window");
        if (use == null || !use.asBoolean() || window == null || window.isNull()) {
            return; // transformers sets sliding_window = None: every layer attends fully
        }
        boolean listed = types != null && !types.isNull();
        OptionalInt first = listed
                ? IntStream.range(0, layers).filter(i -> types.get(i).asText().equals("sliding_attention")).findFirst()
                : IntStream.range(intValue(text, "max_window_layers", 28), layers).findFirst(); // Qwen2Config: 28
        if (first.isPresent()) {
            throw new IllegalArgumentException("text_config: use_sliding_window is true with sliding_window "
                    + window + ", so layer " + first.getAsInt() + " (by "
                    + (listed ? "layer_types" : "max_window_layers") + ") attends over a sliding window;"
                    + " vlflow implements full attention only");
        }
    }

    /**
     * Whether the LM head is the token embedding. transformers v5 ties when the top-level
     * {@code tie_word_embeddings} is true, and {@code LlavaOnevisionConfig.__post_init__} lifts a true
     * {@code text_config.tie_word_embeddings} to the top level (both default false): tied = top || text. (v4 read only
     * {@code text_config}'s value; the two differ only for top-level true with text_config false, where v5 and the
     * issue that reported it tie.)
     */
    static boolean tied(JsonNode root, JsonNode text) {
        return flag(root, "tie_word_embeddings") || flag(text, "text_config.tie_word_embeddings");
    }

    private static boolean flag(JsonNode node, String key) {
        String name = key.substring(key.lastIndexOf('.') + 1);
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            return false;
        }
        if (!value.isBoolean()) {
            throw new IllegalArgumentException(key + " is " + value + ", not a boolean");
        }
        return value.asBoolean();
    }

    private static int intValue(JsonNode node, String key, int fallback) {
        JsonNode value = node.get(key);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            throw new IllegalArgumentException("text_config." + key + " is " + value + ", not an integer");
        }
        return Math.max(0, value.asInt());
    }

    private static double number(JsonNode node, String key, String where) {
        JsonNode value = node.get(key);
        if (!value.isNumber()) {
            throw new IllegalArgumentException(where + " is " + value + ", not a number");
        }
        return value.asDouble();
    }
}

package dev.vlflow.engine.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * text_config keys as transformers v4 and v5 write them: one test per key, on the hub 0.5B config with that key
 * changed. Accepted values must change the parsed config the way transformers uses them; refused ones must name the
 * key.
 */
class TextConfigJsonTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static ObjectNode hub() {
        try {
            return (ObjectNode) JSON.readTree(ModelConfigJsonTest.HUB_CONFIG);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static ModelConfig parse(Consumer<ObjectNode> editText) {
        ObjectNode root = hub();
        editText.accept((ObjectNode) root.get("text_config"));
        return ModelConfigJson.parse(root, null);
    }

    private static String refused(Consumer<ObjectNode> editText) {
        return assertThrows(IllegalArgumentException.class, () -> parse(editText)).getMessage();
    }

    @Test
    void ropeThetaAsV4WritesIt() {
        assertEquals(1e6, parse(t -> { }).text().ropeTheta());
        assertEquals(10000.0, parse(t -> t.remove("rope_theta")).text().ropeTheta(), "Qwen2Config default");
        assertEquals(1.0, parse(t -> { }).text().ropeLinearFactor());
    }

    @Test
    void ropeParametersAsV5WritesThem() {
        ModelConfig c = parse(t -> {
            t.remove("rope_theta");
            t.putObject("rope_parameters").put("rope_type", "default").put("rope_theta", 1000000.0);
        });
        assertEquals(1e6, c.text().ropeTheta(), "a v5 config must not fall back to 1e4");
        assertEquals(1.0, c.text().ropeLinearFactor());
        String e = refused(t -> t.putObject("rope_parameters").put("rope_type", "default").put("rope_theta", 5e5));
        assertTrue(e.contains("rope_theta 1000000.0 disagrees with text_config.rope_parameters.rope_theta 500000.0"), e);
        e = refused(t -> t.putObject("rope_parameters").putObject("sliding_attention").put("rope_theta", 1e4));
        assertTrue(e.contains("rope_parameters.sliding_attention"), e);
    }

    @Test
    void ropeScalingLinearIsComputedOthersAreRefused() {
        ModelConfig v4 = parse(t -> t.putObject("rope_scaling").put("rope_type", "linear").put("factor", 4.0));
        assertEquals(4.0, v4.text().ropeLinearFactor());
        ModelConfig legacyKey = parse(t -> t.putObject("rope_scaling").put("type", "linear").put("factor", 2.0));
        assertEquals(2.0, legacyKey.text().ropeLinearFactor(), "v4's legacy 'type' key");
        ModelConfig v5 = parse(t -> {
            t.remove("rope_theta");
            t.putObject("rope_parameters").put("rope_type", "linear").put("factor", 8.0).put("rope_theta", 1e6);
        });
        assertEquals(8.0, v5.text().ropeLinearFactor());
        assertEquals(1e6, v5.text().ropeTheta());
        assertEquals(1.0, parse(t -> t.putNull("rope_scaling")).text().ropeLinearFactor());
        assertEquals(1.0, parse(t -> t.putObject("rope_scaling").put("rope_type", "default")).text().ropeLinearFactor());
        for (String type : new String[] {"dynamic", "yarn", "longrope", "llama3"}) {
            String e = refused(t -> t.putObject("rope_scaling").put("rope_type", type).put("factor", 4.0));
            assertTrue(e.contains("text_config.rope_scaling has rope_type '" + type + "'"), e);
        }
        String e = refused(t -> t.putObject("rope_scaling").put("rope_type", "linear"));
        assertTrue(e.contains("rope_scaling: rope_type linear needs a factor"), e);
        e = refused(t -> t.putObject("rope_parameters").put("rope_type", "yarn").put("factor", 4.0));
        assertTrue(e.contains("text_config.rope_parameters has rope_type 'yarn'"), e);
        e = refused(t -> t.putObject("rope_parameters").put("partial_rotary_factor", 0.5));
        assertTrue(e.contains("partial_rotary_factor"), e);
    }

    @Test
    void linearScaledConfigWritesAndReadsBack() {
        TextConfig text = new TextConfig(704, 128, 384, 4, 4, 2, 1e-6, 1e6, 32768, true, 4.0);
        VisionConfig vision = new VisionConfig(96, 384, 2, 4, 14, 112, 3, 1e-6, "gelu_pytorch_tanh");
        ModelConfig config = new ModelConfig(text, vision, 639, 640, java.util.List.of(638), "gelu");
        ObjectNode json = ModelConfigJson.toJson(config, 636, DType.BF16);
        assertEquals("linear", json.get("text_config").get("rope_scaling").get("rope_type").asText());
        assertEquals(32, json.get("text_config").get("head_dim").asInt());
        assertEquals(text, ModelConfigJson.parse(json, null).text());
    }

    @Test
    void headDimIsUsedWhenConsistentAndRefusedOtherwise() {
        assertEquals(64, parse(t -> t.put("head_dim", 64)).text().headDim());
        String e = refused(t -> t.put("head_dim", 128));
        assertTrue(e.contains("text_config.head_dim is 128; vlflow supports only head_dim = hidden_size / "
                + "num_attention_heads = 896 / 14 = 64"), e);
        e = refused(t -> t.put("head_dim", "64"));
        assertTrue(e.contains("head_dim is \"64\", not an integer"), e);
    }

    @Test
    void disabledSlidingWindowIsAccepted() {
        // hub: use_sliding_window false, sliding_window 32768, max_window_layers 24
        assertEquals(24, parse(t -> { }).text().numHiddenLayers());
        parse(t -> t.put("max_window_layers", 0));
        parse(t -> t.put("use_sliding_window", true).putNull("sliding_window"));
        parse(t -> t.put("use_sliding_window", true)); // max_window_layers 24 = every layer full
        parse(t -> {
            t.put("use_sliding_window", true);
            t.remove("max_window_layers"); // Qwen2Config's default 28 >= 24 layers
        });
        parse(t -> {
            t.put("use_sliding_window", true);
            t.putArray("layer_types").addAll(java.util.Collections.nCopies(24,
                    JSON.getNodeFactory().textNode("full_attention")));
        });
    }

    @Test
    void activeSlidingWindowIsRefused() {
        String e = refused(t -> t.put("use_sliding_window", true).put("max_window_layers", 20));
        assertTrue(e.contains("use_sliding_window is true with sliding_window 32768, so layer 20 (by "
                + "max_window_layers) attends over a sliding window"), e);
        e = refused(t -> {
            t.put("use_sliding_window", true);
            var types = t.putArray("layer_types");
            for (int i = 0; i < 24; i++) {
                types.add(i == 3 ? "sliding_attention" : "full_attention");
            }
        });
        assertTrue(e.contains("layer 3 (by layer_types)"), e);
        e = refused(t -> t.putArray("layer_types").add("full_attention"));
        assertTrue(e.contains("layer_types must list one type for each of the 24 layers"), e);
        e = refused(t -> t.put("use_sliding_window", "yes"));
        assertTrue(e.contains("use_sliding_window is \"yes\", not a boolean"), e);
    }

    @Test
    void tiePrecedenceIsTransformersV5() {
        record Case(Boolean top, Boolean text, boolean tied) {
        }
        Case[] cases = {
            new Case(false, true, true), // the hub 0.5B config
            new Case(true, false, true), // v5 ties (LlavaOnevisionConfig reads the top level)
            new Case(false, false, false),
            new Case(null, null, false), // both default to false
            new Case(null, true, true),
            new Case(true, null, true),
        };
        for (Case c : cases) {
            ObjectNode root = hub();
            ObjectNode text = (ObjectNode) root.get("text_config");
            root.remove("tie_word_embeddings");
            text.remove("tie_word_embeddings");
            if (c.top() != null) {
                root.put("tie_word_embeddings", c.top());
            }
            if (c.text() != null) {
                text.put("tie_word_embeddings", c.text());
            }
            assertEquals(c.tied(), ModelConfigJson.parse(root, null).text().tieWordEmbeddings(), c.toString());
        }
    }
}

package dev.vlflow.engine.model.make;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vlflow.engine.model.ModelConfig;
import dev.vlflow.engine.model.ModelConfigJson;
import dev.vlflow.engine.text.SpecialTokens;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The processor-side files of a LLaVA-OneVision checkpoint, with the keys of the llava-hf hub files:
 * {@code preprocessor_config.json} (image processor), {@code video_processor/preprocessor_config.json},
 * {@code processor_config.json}, {@code chat_template.json} and {@code generation_config.json}. Frames are resized
 * straight to the tower's size (bicubic, {@code resample 3}), rescaled by 1/255 and normalized with mean = std = 0.5.
 */
final class ProcessorFiles {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final double RESCALE = 1.0 / 255.0;

    private ProcessorFiles() {
    }

    static void write(Path dir, ModelConfig config, SpecialTokens special, String chatTemplate) throws IOException {
        int size = config.vision().imageSize();
        ObjectNode image = common(size);
        image.put("do_pad", true);
        var pinpoints = image.putArray("image_grid_pinpoints");
        for (int[] p : ModelConfigJson.gridPinpoints(size)) {
            pinpoints.addArray().add(p[0]).add(p[1]);
        }
        image.put("image_processor_type", "LlavaOnevisionImageProcessor");
        writeJson(dir.resolve("preprocessor_config.json"), image);

        ObjectNode video = common(size);
        video.put("image_processor_type", "LlavaOnevisionVideoProcessor");
        video.put("video_processor_type", "LlavaOnevisionVideoProcessor");
        Files.createDirectories(dir.resolve("video_processor"));
        writeJson(dir.resolve("video_processor/preprocessor_config.json"), video);

        ObjectNode processor = JSON.createObjectNode();
        processor.put("num_image_tokens", config.vision().numPatches());
        processor.put("processor_class", "LlavaOnevisionProcessor");
        processor.put("vision_feature_select_strategy", "full");
        writeJson(dir.resolve("processor_config.json"), processor);

        ObjectNode template = JSON.createObjectNode();
        template.put("chat_template", chatTemplate);
        writeJson(dir.resolve("chat_template.json"), template);

        ObjectNode generation = JSON.createObjectNode();
        generation.put("bos_token_id", special.endOfText());
        var eos = generation.putArray("eos_token_id");
        config.eosTokenIds().forEach(eos::add);
        generation.put("pad_token_id", special.endOfText());
        generation.put("do_sample", false);
        writeJson(dir.resolve("generation_config.json"), generation);
    }

    private static ObjectNode common(int size) {
        ObjectNode n = JSON.createObjectNode();
        n.put("do_convert_rgb", true);
        n.put("do_normalize", true);
        n.put("do_rescale", true);
        n.put("do_resize", true);
        n.putArray("image_mean").add(0.5).add(0.5).add(0.5);
        n.putArray("image_std").add(0.5).add(0.5).add(0.5);
        n.put("processor_class", "LlavaOnevisionProcessor");
        n.put("resample", 3);
        n.put("rescale_factor", RESCALE);
        ObjectNode s = n.putObject("size");
        s.put("height", size);
        s.put("width", size);
        return n;
    }

    static void writeJson(Path file, ObjectNode node) throws IOException {
        Files.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node) + "\n");
    }
}

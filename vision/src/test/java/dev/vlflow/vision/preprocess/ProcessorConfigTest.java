package dev.vlflow.vision.preprocess;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessorConfigTest {

    /** The hub's {@code video_processor/preprocessor_config.json} of llava-onevision (ECOSYSTEM.md §2.3). */
    static final String LLAVA_OV_VIDEO = """
            {
              "crop_size": null, "data_format": "channels_first", "default_to_square": false,
              "device": null, "do_center_crop": null, "do_convert_rgb": true, "do_normalize": true,
              "do_rescale": true, "do_resize": true,
              "image_mean": [0.5, 0.5, 0.5], "image_processor_type": "LlavaOnevisionVideoProcessor",
              "image_std": [0.5, 0.5, 0.5], "processor_class": "LlavaOnevisionProcessor",
              "resample": 3, "rescale_factor": 0.00392156862745098,
              "size": {"height": 384, "width": 384}
            }
            """;

    @TempDir
    Path model;

    @Test
    void readsTheVideoProcessorConfigFirst() throws IOException {
        Files.createDirectories(model.resolve("video_processor"));
        Files.writeString(model.resolve("video_processor/preprocessor_config.json"), LLAVA_OV_VIDEO);
        Files.writeString(model.resolve("preprocessor_config.json"), LLAVA_OV_VIDEO.replace("384", "224"));
        ProcessorConfig config = ProcessorConfig.load(model);
        assertEquals(ProcessorConfig.llavaOnevision(), config);
    }

    @Test
    void fallsBackToTheImageProcessorConfig() throws IOException {
        Files.writeString(model.resolve("preprocessor_config.json"), """
                {"do_resize": true, "size": {"height": 224, "width": 336}, "resample": 2,
                 "do_rescale": true, "rescale_factor": 0.5, "do_normalize": true,
                 "image_mean": [0.48145466, 0.4578275, 0.40821073], "image_std": [0.26862954, 0.26130258, 0.27577711]}
                """);
        ProcessorConfig config = ProcessorConfig.load(model);
        assertEquals(224, config.height());
        assertEquals(336, config.width());
        assertEquals(Resample.BILINEAR, config.resample());
        assertEquals(0.5, config.rescaleFactor());
        assertEquals(new ProcessorConfig.Channels(0.48145466, 0.4578275, 0.40821073), config.mean());
        assertEquals(224, new Preprocessor(config).outputHeight(1080));
        assertEquals(336, new Preprocessor(config).outputWidth(1920));
    }

    @Test
    void unsupportedOrIncompleteConfigsFailClearly() throws IOException {
        assertTrue(assertThrows(IOException.class, () -> ProcessorConfig.load(model)).getMessage()
                .contains("preprocessor_config.json"));
        Path file = model.resolve("preprocessor_config.json");
        Files.writeString(file, "{\"size\": {\"shortest_edge\": 224}, \"image_mean\": 0.5, \"image_std\": 0.5}");
        assertTrue(assertThrows(IOException.class, () -> ProcessorConfig.load(model)).getMessage()
                .contains("shortest"));
        Files.writeString(file, "{\"size\": {\"height\": 8, \"width\": 8}}");
        assertTrue(assertThrows(IOException.class, () -> ProcessorConfig.load(model)).getMessage()
                .contains("image_mean"));
        Files.writeString(file, "{\"size\": {\"height\": 8, \"width\": 8}, \"resample\": 5, \"image_mean\": 0.5,"
                + " \"image_std\": 0.5}");
        assertTrue(assertThrows(IOException.class, () -> ProcessorConfig.load(model)).getMessage()
                .contains("HAMMING"));
        Files.writeString(file, "[1, 2]");
        assertThrows(IOException.class, () -> ProcessorConfig.load(model));
    }

    @Test
    void aScalarMeanAppliesToAllChannels() throws IOException {
        Files.writeString(model.resolve("preprocessor_config.json"),
                "{\"do_resize\": false, \"image_mean\": 0.25, \"image_std\": 2}");
        ProcessorConfig config = ProcessorConfig.load(model);
        assertEquals(new ProcessorConfig.Channels(0.25, 0.25, 0.25), config.mean());
        assertEquals(new ProcessorConfig.Channels(2, 2, 2), config.std());
        assertEquals(77, new Preprocessor(config).outputHeight(77));
    }
}

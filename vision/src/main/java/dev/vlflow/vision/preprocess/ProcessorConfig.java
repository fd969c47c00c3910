package dev.vlflow.vision.preprocess;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * How a checkpoint wants its frames: the keys of a Hugging Face {@code preprocessor_config.json} that matter for
 * video. Pixels become {@code ((x · rescaleFactor) − mean[c]) / std[c]} per RGB channel after an optional resize to
 * {@code height × width} (aspect ratio not kept, no crop — LLaVA-OneVision's video processor).
 *
 * @param doConvertRgb  {@code do_convert_rgb}; decoded video is always RGB, so this only documents the config
 * @param doResize      {@code do_resize}
 * @param height        {@code size.height} (ignored without resizing)
 * @param width         {@code size.width} (ignored without resizing)
 * @param resample      {@code resample} (PIL code; 3 = bicubic)
 * @param doRescale     {@code do_rescale}
 * @param rescaleFactor {@code rescale_factor}, usually 1/255
 * @param doNormalize   {@code do_normalize}
 * @param mean          {@code image_mean}
 * @param std           {@code image_std}
 */
public record ProcessorConfig(boolean doConvertRgb, boolean doResize, int height, int width, Resample resample,
                              boolean doRescale, double rescaleFactor, boolean doNormalize, Channels mean,
                              Channels std) {

    /** Where a model directory keeps its video processor config, in the order they are tried. */
    public static final String[] CONFIG_FILES = {"video_processor/preprocessor_config.json",
        "preprocessor_config.json"};

    /** One value per RGB channel. */
    public record Channels(double r, double g, double b) {
        public double get(int channel) {
            return switch (channel) {
                case 0 -> r;
                case 1 -> g;
                case 2 -> b;
                default -> throw new IndexOutOfBoundsException(channel);
            };
        }
    }

    public ProcessorConfig {
        Objects.requireNonNull(resample, "resample");
        Objects.requireNonNull(mean, "mean");
        Objects.requireNonNull(std, "std");
        if (doResize && (height <= 0 || width <= 0)) {
            throw new IllegalArgumentException("resize size must be positive: " + height + "x" + width);
        }
        if (doResize) {
            resample.openCvFlag();
        }
        if (doNormalize && (std.r() == 0 || std.g() == 0 || std.b() == 0)) {
            throw new IllegalArgumentException("image_std must not be zero: " + std);
        }
    }

    /**
     * LLaVA-OneVision's video processor (hub {@code video_processor/preprocessor_config.json}): 384×384 bicubic,
     * 1/255, mean = std = 0.5, so pixels land in [−1, 1].
     */
    public static ProcessorConfig llavaOnevision() {
        Channels half = new Channels(0.5, 0.5, 0.5);
        return new ProcessorConfig(true, true, 384, 384, Resample.BICUBIC, true, 1 / 255.0, true, half, half);
    }

    /** The same config resizing to another size. */
    public ProcessorConfig withSize(int newHeight, int newWidth) {
        return new ProcessorConfig(doConvertRgb, true, newHeight, newWidth, resample, doRescale, rescaleFactor,
                doNormalize, mean, std);
    }

    /**
     * Reads {@code video_processor/preprocessor_config.json} from a model directory, or, without it,
     * {@code preprocessor_config.json}.
     *
     * @throws IOException when neither exists, or the config asks for something not supported here
     *                     ({@code shortest_edge} sizes, center crops)
     */
    public static ProcessorConfig load(Path modelDirectory) throws IOException {
        for (String name : CONFIG_FILES) {
            Path file = modelDirectory.resolve(name);
            if (Files.isRegularFile(file)) {
                return parse(file);
            }
        }
        throw new IOException("no " + String.join(" or ", CONFIG_FILES) + " in " + modelDirectory);
    }

    /** Parses one {@code preprocessor_config.json}. Missing flags take Hugging Face's defaults (true). */
    public static ProcessorConfig parse(Path file) throws IOException {
        JsonNode json = new ObjectMapper().readTree(file.toFile());
        if (json == null || !json.isObject()) {
            throw new IOException(file + ": not a JSON object");
        }
        try {
            boolean doResize = json.path("do_resize").asBoolean(true);
            int height = 0;
            int width = 0;
            if (doResize) {
                JsonNode size = json.path("size");
                if (size.has("shortest_edge") || size.has("longest_edge")) {
                    throw new IOException(file + ": size " + size + " (shortest/longest edge) is not supported;"
                            + " only {height, width}");
                }
                if (!size.has("height") || !size.has("width")) {
                    throw new IOException(file + ": do_resize needs size {height, width}");
                }
                height = size.get("height").asInt();
                width = size.get("width").asInt();
            }
            if (json.path("do_center_crop").asBoolean(false)) {
                throw new IOException(file + ": do_center_crop is not supported");
            }
            boolean doNormalize = json.path("do_normalize").asBoolean(true);
            Channels one = new Channels(1, 1, 1);
            Channels zero = new Channels(0, 0, 0);
            return new ProcessorConfig(
                    json.path("do_convert_rgb").asBoolean(true),
                    doResize, height, width,
                    Resample.ofPilCode(json.path("resample").asInt(Resample.BICUBIC.pilCode())),
                    json.path("do_rescale").asBoolean(true),
                    json.path("rescale_factor").asDouble(1 / 255.0),
                    doNormalize,
                    doNormalize ? channels(json, "image_mean", file) : zero,
                    doNormalize ? channels(json, "image_std", file) : one);
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    private static Channels channels(JsonNode json, String key, Path file) throws IOException {
        JsonNode values = json.get(key);
        if (values == null) {
            throw new IOException(file + ": do_normalize needs " + key
                    + " (the processor class default is not assumed)");
        }
        if (values.isNumber()) {
            double v = values.asDouble();
            return new Channels(v, v, v);
        }
        if (!values.isArray() || values.size() != 3) {
            throw new IOException(file + ": " + key + " must be a number or 3 numbers: " + values);
        }
        return new Channels(values.get(0).asDouble(), values.get(1).asDouble(), values.get(2).asDouble());
    }
}

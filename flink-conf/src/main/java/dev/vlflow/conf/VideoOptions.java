package dev.vlflow.conf;

import static org.apache.flink.configuration.ConfigOptions.key;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ReadableConfig;

/** How frames are sampled from a video segment: {@code vlflow.video.*}. */
public final class VideoOptions {

    public static final ConfigOption<Integer> FRAMES_PER_SEGMENT = key("vlflow.video.frames-per-segment").intType()
            .defaultValue(4).withDescription("Frames sampled uniformly from a segment that does not say how many.");
    public static final ConfigOption<Integer> MAX_FRAMES_PER_SEGMENT = key("vlflow.video.max-frames-per-segment")
            .intType().defaultValue(64).withDescription("Upper bound on the frames a segment may ask for.");
    public static final ConfigOption<String> RESIZE = key("vlflow.video.resize").stringType().defaultValue("hf")
            .withDescription("How frames are resized to the model's size: hf (torchvision's antialiased bicubic, as"
                    + " Hugging Face's video processors) or opencv (OpenCV's cubic, not antialiased, faster).");

    private VideoOptions() {
    }

    public static VideoSpec read(ReadableConfig config) {
        return new VideoSpec(config.get(FRAMES_PER_SEGMENT), config.get(MAX_FRAMES_PER_SEGMENT), config.get(RESIZE));
    }
}

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

    private VideoOptions() {
    }

    public static VideoSpec read(ReadableConfig config) {
        return new VideoSpec(config.get(FRAMES_PER_SEGMENT), config.get(MAX_FRAMES_PER_SEGMENT));
    }
}

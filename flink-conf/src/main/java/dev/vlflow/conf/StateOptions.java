package dev.vlflow.conf;

import static org.apache.flink.configuration.ConfigOptions.key;

import java.time.Duration;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ReadableConfig;

/** Keyed state of the video sessions: {@code vlflow.state.*}. The state backend itself is Flink's option. */
public final class StateOptions {

    public static final ConfigOption<Duration> IDLE_TTL = key("vlflow.state.idle-ttl").durationType()
            .defaultValue(Duration.ofHours(1)).withDescription("A stream with no event for this long is dropped "
                    + "with all its state (cache pages, metadata, waiting questions).");
    public static final ConfigOption<Integer> LIVE_SESSIONS = key("vlflow.state.live-sessions").intType()
            .defaultValue(8).withDescription("Sessions an operator keeps decoded in memory besides their state "
                    + "(least recently used go first; they are rebuilt from state pages when needed).");

    public static final ConfigOption<Integer> SEGMENT_MARKS = key("vlflow.state.segment-marks").intType()
            .defaultValue(64).withDescription("Recent segments whose cache extent a stream remembers, so that a "
                    + "question about segment N is answered on the stream as of segment N even when later segments "
                    + "are already prefilled. Older questions are answered on the whole stream (their answer says "
                    + "how many segments they saw).");

    private StateOptions() {
    }

    public static StateSpec read(ReadableConfig config) {
        return new StateSpec(config.get(IDLE_TTL), config.get(LIVE_SESSIONS), config.get(SEGMENT_MARKS));
    }
}

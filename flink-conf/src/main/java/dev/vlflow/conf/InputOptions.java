package dev.vlflow.conf;

import static org.apache.flink.configuration.ConfigOptions.key;

import java.time.Duration;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.ReadableConfig;

/**
 * What the job's inputs may make it do: {@code vlflow.input.*}. Every limit has a safe default: no local file outside
 * the configured roots, no network unless hosts are listed, bounded frames, videos, records, answers and streams.
 * An input over a limit goes to the dead letters with the reason; the job goes on.
 */
public final class InputOptions {

    public static final ConfigOption<List<String>> FILE_ROOTS = key("vlflow.input.file-roots").stringType().asList()
            .noDefaultValue().withDescription("Directories videos may be read from; a path must resolve (symbolic "
                    + "links followed, '..' removed) inside one. Unset: the local runner (vlflow stream, vlflow demo) "
                    + "allows the input's folder; an empty list allows no local file. A file outside the roots is "
                    + "reported exactly like a missing file.");
    public static final ConfigOption<List<String>> URL_HOSTS = key("vlflow.input.url-hosts").stringType().asList()
            .defaultValues().withDescription("Hosts video URLs may name: an exact name or address, '*.example.com' "
                    + "for subdomains, '*' for any. Empty (the default): no network. Every HTTP redirect is checked "
                    + "again; playlists (HLS, DASH) are never read.");
    public static final ConfigOption<List<String>> URL_SCHEMES = key("vlflow.input.url-schemes").stringType()
            .asList().defaultValues("http", "https").withDescription("URL schemes for the allowed hosts: http, "
                    + "https, rtsp (FFmpeg follows RTSP redirects itself: allow rtsp for trusted sources only).");
    public static final ConfigOption<Integer> MAX_FRAME_WIDTH = key("vlflow.input.max-frame-width").intType()
            .defaultValue(4096).withDescription("Widest video frame accepted, pixels.");
    public static final ConfigOption<Integer> MAX_FRAME_HEIGHT = key("vlflow.input.max-frame-height").intType()
            .defaultValue(4096).withDescription("Tallest video frame accepted, pixels.");
    public static final ConfigOption<Duration> MAX_DURATION = key("vlflow.input.max-duration").durationType()
            .defaultValue(Duration.ofHours(4)).withDescription("Longest video accepted (declared or seen).");
    public static final ConfigOption<MemorySize> MAX_INLINE_BYTES = key("vlflow.input.max-inline-bytes").memoryType()
            .defaultValue(MemorySize.ofMebiBytes(8)).withDescription("Largest video a segment may carry inline "
                    + "('data').");
    public static final ConfigOption<MemorySize> MAX_RECORD_BYTES = key("vlflow.input.max-record-bytes").memoryType()
            .defaultValue(MemorySize.ofMebiBytes(16)).withDescription("Longest input record (a JSONL line); a longer "
                    + "one is skipped without being held in memory and reported.");
    public static final ConfigOption<Duration> IO_TIMEOUT = key("vlflow.input.io-timeout").durationType()
            .defaultValue(Duration.ofSeconds(30)).withDescription("A network read that stalls this long fails.");
    public static final ConfigOption<Integer> MAX_ANSWER_TOKENS = key("vlflow.input.max-answer-tokens").intType()
            .defaultValue(1024).withDescription("Most tokens a question may ask for (max_tokens); more is rejected. "
                    + "Answers also stop where the model's max_position_embeddings ends.");
    public static final ConfigOption<Integer> MAX_PENDING_QUESTIONS = key("vlflow.input.max-pending-questions")
            .intType().defaultValue(64).withDescription("Questions one stream may have waiting for later segments; "
                    + "more are rejected.");
    public static final ConfigOption<Integer> MAX_STREAM_TOKENS = key("vlflow.input.max-stream-tokens").intType()
            .defaultValue(32768).withDescription("Most token positions one stream may use (prompt header and video); "
                    + "a segment that would pass it is rejected. Never more than the model's "
                    + "max_position_embeddings, whichever is smaller.");

    private InputOptions() {
    }

    public static InputSpec read(ReadableConfig config) {
        return new InputSpec(config.getOptional(FILE_ROOTS).orElse(List.of()), config.get(URL_SCHEMES),
                config.get(URL_HOSTS), config.get(MAX_FRAME_WIDTH), config.get(MAX_FRAME_HEIGHT),
                config.get(MAX_DURATION), config.get(MAX_INLINE_BYTES).getBytes(),
                config.get(MAX_RECORD_BYTES).getBytes(), config.get(IO_TIMEOUT), config.get(MAX_ANSWER_TOKENS),
                config.get(MAX_PENDING_QUESTIONS), config.get(MAX_STREAM_TOKENS));
    }

    public static List<ConfigOption<?>> all() {
        return List.of(FILE_ROOTS, URL_HOSTS, URL_SCHEMES, MAX_FRAME_WIDTH, MAX_FRAME_HEIGHT, MAX_DURATION,
                MAX_INLINE_BYTES, MAX_RECORD_BYTES, IO_TIMEOUT, MAX_ANSWER_TOKENS, MAX_PENDING_QUESTIONS,
                MAX_STREAM_TOKENS);
    }
}

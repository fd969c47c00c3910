package dev.vlflow.conf;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.GlobalConfiguration;

/**
 * Builds the Flink configuration of a vlflow run in three layers, later ones winning: the bundled
 * {@code config.yaml} (this module's resource), an optional user file (Flink 2 YAML), and command-line pairs.
 */
public final class VlflowConfiguration {

    /** The bundled defaults, on the classpath. */
    public static final String RESOURCE = "/config.yaml";

    private VlflowConfiguration() {
    }

    public static Configuration load(Optional<Path> userFile, Map<String, String> overrides) {
        Configuration config = bundled();
        userFile.ifPresent(file -> config.addAll(fromYaml(file)));
        config.addAll(Configuration.fromMap(overrides));
        return config;
    }

    /** The bundled {@code config.yaml}. */
    public static Configuration bundled() {
        try (InputStream in = VlflowConfiguration.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("resource " + RESOURCE + " is missing from the classpath");
            }
            Path dir = Files.createTempDirectory("vlflow-conf");
            try {
                Files.copy(in, dir.resolve(GlobalConfiguration.FLINK_CONF_FILENAME));
                return GlobalConfiguration.loadConfiguration(dir.toString());
            } finally {
                deleteQuietly(dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    /** A Flink 2 YAML file (any name), flattened to dotted keys. */
    public static Configuration fromYaml(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no configuration file " + file);
        }
        try {
            Path dir = Files.createTempDirectory("vlflow-conf");
            try {
                Files.copy(file, dir.resolve(GlobalConfiguration.FLINK_CONF_FILENAME),
                        StandardCopyOption.REPLACE_EXISTING);
                return GlobalConfiguration.loadConfiguration(dir.toString());
            } finally {
                deleteQuietly(dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** Every vlflow option, for help texts and docs. */
    public static List<ConfigOption<?>> options() {
        List<ConfigOption<?>> all = new java.util.ArrayList<>(List.of(ModelOptions.PATH, ModelOptions.PROVIDER,
                ModelOptions.PREFILL_CHUNK, ModelOptions.VISION_BATCH, ModelOptions.SYSTEM_PROMPT, ModelOptions.WEIGHTS,
                ModelOptions.ZIPVL, ModelOptions.ZIPVL_DEMOTE, ModelOptions.ZIPVL_DROP,
                VideoOptions.FRAMES_PER_SEGMENT,
                VideoOptions.MAX_FRAMES_PER_SEGMENT, VideoOptions.RESIZE, KvOptions.PAGE_TOKENS, KvOptions.BUDGET_TOKENS,
                KvOptions.SINK_TOKENS, KvOptions.RECENT_TOKENS, KvOptions.PROBE_TOKENS,
                KvOptions.PRECISION, KvOptions.GROUP_SIZE, KvOptions.FP_WINDOW,
                DecodingOptions.MAX_NEW_TOKENS, DecodingOptions.TEMPERATURE, DecodingOptions.TOP_P,
                DecodingOptions.SEED, DecodingOptions.DRAFTER, DecodingOptions.DRAFT_LENGTH,
                DecodingOptions.TREE_WIDTH, DecodingOptions.MIN_NGRAM, DecodingOptions.SKIP_ATTENTION, DecodingOptions.SKIP_MLP,
                DecodingOptions.ULS_SPEEDUP, StateOptions.IDLE_TTL, StateOptions.LIVE_SESSIONS,
                StateOptions.SEGMENT_MARKS, ServingOptions.MAX_BATCH, ServingOptions.MAX_QUEUED,
                ServingOptions.STREAM_TOKEN_BUDGET, ServingOptions.MAX_ANSWER_LATENCY,
                KafkaOptions.BOOTSTRAP_SERVERS, KafkaOptions.INPUT_TOPIC, KafkaOptions.ANSWERS_TOPIC,
                KafkaOptions.DEAD_LETTERS_TOPIC, KafkaOptions.GROUP_ID, KafkaOptions.TRANSACTIONAL_ID_PREFIX,
                KafkaOptions.TRANSACTION_TIMEOUT, KafkaOptions.STARTING_OFFSETS, KafkaOptions.STOP));
        all.addAll(InputOptions.all());
        return List.copyOf(all);
    }

    private static void deleteQuietly(Path dir) {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temp dir left behind is harmless
        }
    }
}

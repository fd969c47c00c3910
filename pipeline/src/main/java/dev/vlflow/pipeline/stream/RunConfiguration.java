package dev.vlflow.pipeline.stream;

import dev.vlflow.conf.ModelOptions;
import dev.vlflow.conf.VlflowConfiguration;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;

/** The Flink configuration of a local run: bundled defaults, a user file, command-line pairs, then the CLI's own. */
public final class RunConfiguration {

    private RunConfiguration() {
    }

    /**
     * @param userFile     optional Flink 2 YAML file
     * @param overrides    {@code key=value} pairs from the command line
     * @param model        checkpoint directory (wins over the files unless a pair sets it)
     * @param parallelism  default operator parallelism
     * @param checkpoints  where checkpoints go
     */
    public static Configuration of(Optional<Path> userFile, Map<String, String> overrides, Optional<Path> model,
                                   int parallelism, Path checkpoints) {
        Map<String, String> cli = new HashMap<>();
        model.ifPresent(m -> cli.put(ModelOptions.PATH.key(), m.toAbsolutePath().toString()));
        cli.put(CoreOptions.DEFAULT_PARALLELISM.key(), Integer.toString(parallelism));
        cli.put(CheckpointingOptions.CHECKPOINTS_DIRECTORY.key(), checkpoints.toAbsolutePath().toUri().toString());
        cli.putAll(overrides);
        return VlflowConfiguration.load(userFile, cli);
    }
}

package dev.vlflow.pipeline.stream;

import dev.vlflow.conf.InputOptions;
import dev.vlflow.conf.JobSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** Runs the streaming job on an embedded MiniCluster in this process. */
public final class LocalRunner {

    public static final String JOB_NAME = "vlflow streaming QA";

    private LocalRunner() {
    }

    /** The job on a local environment configured by {@code config} (the job's records are read from it). */
    public static StreamExecutionEnvironment environment(Configuration config, JobIo io) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(config);
        StreamingJob.build(env, spec(config, io), io);
        return env;
    }

    /**
     * The job's records; for JSONL input when {@code vlflow.input.file-roots} is not configured, videos may be read
     * from the input's folder (the directory given, or the JSONL file's directory) and nowhere else. Kafka input has
     * no folder: its file roots are what the configuration says.
     */
    public static JobSpec spec(Configuration config, JobIo jobIo) {
        JobSpec spec = JobSpec.read(config);
        if (config.contains(InputOptions.FILE_ROOTS) || !(jobIo instanceof StreamIo io)) {
            return spec;
        }
        Path input = io.input().toAbsolutePath().normalize();
        Path folder = Files.isDirectory(input) || input.getParent() == null ? input : input.getParent();
        return spec.withInput(spec.input().withFileRoots(List.of(folder.toString())));
    }

    /** Runs until a bounded input ends (or forever when following a directory). */
    public static void run(Configuration config, JobIo io) throws Exception {
        environment(config, io).execute(JOB_NAME);
    }

    /** Starts the job and returns at once (tests stop it with a savepoint). */
    public static JobClient start(Configuration config, JobIo io) throws Exception {
        return environment(config, io).executeAsync(JOB_NAME);
    }
}

package dev.vlflow.pipeline.stream;

import dev.vlflow.conf.JobSpec;
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
        StreamingJob.build(env, JobSpec.read(config), io);
        return env;
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

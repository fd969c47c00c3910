package dev.vlflow.cli;

import dev.vlflow.pipeline.cluster.FlinkRest;
import dev.vlflow.pipeline.cluster.LocalCluster;
import dev.vlflow.pipeline.stream.ClusterJob;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code vlflow submit}: the job jar to a Flink 2.x cluster through its REST API (upload, run, delete the upload);
 * prints the job id.
 */
@Command(name = "submit", mixinStandardHelpOptions = true,
        description = {"Submits the streaming job (the job jar, job/target/vlflow-job-*.jar) to a Flink 2.x session "
                + "cluster through its REST API and prints the job id (alone, on stdout).",
            "The job reads and writes Kafka: give --conf vlflow.kafka.bootstrap-servers=HOST:PORT and --conf "
                    + "vlflow.model.path=DIR (a directory on every TaskManager); any other job option likewise. "
                    + "The cluster's configuration applies under these pairs."})
final class SubmitCommand implements Callable<Integer> {

    static final int DEFAULT_REST_PORT = 8081;

    @Spec
    CommandSpec spec;

    @Option(names = "--jobmanager", paramLabel = "HOST:PORT", description = "the cluster's REST endpoint (default: "
            + "the local cluster of --dir when it runs, else 127.0.0.1:8081)")
    String jobManager;

    @Option(names = "--dir", description = "local cluster directory, for the default --jobmanager (default: "
            + "<vlflow home>/.vlflow/cluster)")
    Path dir;

    @Option(names = "--jar", description = "the job jar (default: <vlflow home>/job/target/vlflow-job-*.jar)")
    Path jar;

    @Option(names = "--conf", description = "job configuration key=value (repeatable), passed as program "
            + "arguments --conf key=value")
    Map<String, String> conf = new LinkedHashMap<>();

    @Option(names = "--entry-class", description = "main class (default: ${DEFAULT-VALUE})",
            defaultValue = "dev.vlflow.pipeline.stream.ClusterJob")
    String entryClass;

    @Option(names = "--parallelism", description = "job parallelism (default: the cluster's parallelism.default)")
    Integer parallelism;

    @Override
    public Integer call() throws IOException {
        Path jobJar = jar != null ? jar : defaultJar();
        if (!Files.isRegularFile(jobJar)) {
            throw new IllegalArgumentException("no job jar at " + jobJar + ": build it with "
                    + "`mvn package -pl job -am` (./vlflow builds it on first use)");
        }
        String endpoint = jobManager != null ? jobManager : localEndpoint();
        FlinkRest rest;
        try {
            rest = new FlinkRest(endpoint);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--jobmanager: " + e.getMessage());
        }
        List<String> args = new ArrayList<>();
        conf.forEach((k, v) -> {
            args.add(ClusterJob.CONF);
            args.add(k + "=" + v);
        });
        System.err.printf(Locale.ROOT, "uploading %s (%.1f MiB) to %s ...%n", jobJar,
                Files.size(jobJar) / (1024.0 * 1024.0), rest.base());
        String jarId = rest.upload(jobJar);
        String jobId;
        try {
            System.err.println("running " + entryClass + " " + String.join(" ", args));
            jobId = rest.run(jarId, entryClass, args, parallelism == null ? OptionalInt.empty()
                    : OptionalInt.of(parallelism));
        } finally {
            try {
                rest.delete(jarId);
            } catch (IOException e) {
                System.err.println("vlflow: could not delete the uploaded jar " + jarId + ": " + e.getMessage());
            }
        }
        System.err.println("submitted to " + rest.base() + " (job " + jobId + ")");
        System.out.println(jobId);
        return 0;
    }

    private String localEndpoint() {
        LocalCluster local = LocalCluster.at(ClusterCommand.dir(dir));
        if (local.running()) {
            return local.restAddress().orElse("127.0.0.1:" + DEFAULT_REST_PORT);
        }
        return "127.0.0.1:" + DEFAULT_REST_PORT;
    }

    /** The newest {@code vlflow-job-*.jar} in the job module's target directory. */
    static Path defaultJar() throws IOException {
        Path target = DemoCommand.home().resolve("job").resolve("target");
        if (!Files.isDirectory(target)) {
            return target.resolve("vlflow-job.jar");
        }
        try (Stream<Path> files = Files.list(target)) {
            return files.filter(f -> f.getFileName().toString().matches("vlflow-job-.*\\.jar"))
                    .max((a, b) -> a.toFile().lastModified() < b.toFile().lastModified() ? -1 : 1)
                    .orElse(target.resolve("vlflow-job.jar"));
        }
    }
}

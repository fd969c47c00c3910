package dev.vlflow.pipeline.stream;

import dev.vlflow.conf.JobSpec;
import dev.vlflow.conf.KafkaOptions;
import dev.vlflow.conf.KafkaSpec;
import dev.vlflow.conf.VlflowConfiguration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The streaming job on a Flink cluster: the main class of the job jar ({@code flink run -c ... vlflow-job.jar
 * --conf key=value ...}, or the REST API's {@code /jars/<id>/run}). It reads segments and questions from Kafka and
 * writes answers and dead letters to Kafka, exactly once.
 *
 * <p>Its configuration has three layers, later ones winning: vlflow's bundled {@code config.yaml} (RocksDB,
 * checkpoints every 10 s, the vlflow defaults), the cluster's configuration (what
 * {@link StreamExecutionEnvironment#getExecutionEnvironment()} was given: the JobManager's {@code config.yaml} under
 * the REST API, the client's under {@code flink run}), and the {@code --conf key=value} program arguments.
 * {@code vlflow.kafka.bootstrap-servers} and {@code vlflow.model.path} are required; the model directory must exist
 * on every TaskManager (it is opened there, not where this method runs).
 */
public final class ClusterJob {

    /** The program argument that precedes each {@code key=value} pair. */
    public static final String CONF = "--conf";

    private ClusterJob() {
    }

    public static void main(String[] args) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        build(env, args);
        env.execute(LocalRunner.JOB_NAME);
    }

    /**
     * Configures {@code env} from its own configuration and {@code args}, then adds the job to it.
     *
     * @return the job's configuration (bundled defaults, the environment's, then the arguments)
     * @throws IllegalArgumentException for malformed arguments, no Kafka, no model, or Kafka without checkpoints
     */
    public static Configuration build(StreamExecutionEnvironment env, String... args) {
        Configuration config = configuration(env.getConfiguration(), arguments(args));
        KafkaSpec kafka = KafkaOptions.read(config).orElseThrow(() -> new IllegalArgumentException(
                "the cluster job reads and writes Kafka: set " + KafkaOptions.BOOTSTRAP_SERVERS.key()
                        + " (program arguments: " + CONF + " " + KafkaOptions.BOOTSTRAP_SERVERS.key()
                        + "=HOST:PORT)"));
        JobSpec spec = JobSpec.read(config);
        env.configure(config);
        StreamingJob.build(env, spec, new KafkaIo(kafka, false));
        return config;
    }

    /** Bundled defaults, then {@code cluster}, then {@code overrides}. */
    static Configuration configuration(ReadableConfig cluster, Map<String, String> overrides) {
        Configuration config = VlflowConfiguration.bundled();
        config.addAll(Configuration.fromMap(cluster.toMap()));
        config.addAll(Configuration.fromMap(overrides));
        return config;
    }

    /** {@code --conf key=value} pairs, in order (a later key wins). */
    static Map<String, String> arguments(String... args) {
        Map<String, String> pairs = new LinkedHashMap<>();
        List<String> list = List.of(args);
        for (int i = 0; i < list.size(); i++) {
            String arg = list.get(i);
            String pair;
            if (arg.equals(CONF)) {
                if (i + 1 == list.size()) {
                    throw new IllegalArgumentException(CONF + " needs key=value");
                }
                pair = list.get(++i);
            } else if (arg.startsWith(CONF + "=")) {
                pair = arg.substring(CONF.length() + 1);
            } else {
                throw new IllegalArgumentException("unknown program argument '" + arg + "'; the job takes "
                        + CONF + " key=value (repeatable)");
            }
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException(CONF + " needs key=value, got '" + pair + "'");
            }
            pairs.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
        }
        return pairs;
    }
}

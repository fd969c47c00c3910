package dev.vlflow.pipeline.cluster;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What {@code vlflow cluster start} was asked for.
 *
 * @param taskManagers how many TaskManager processes
 * @param slots        task slots per TaskManager
 * @param restPort     the REST API's (and web UI's) port on 127.0.0.1
 * @param overrides    Flink configuration pairs over the generated ones (e.g. taskmanager.memory.process.size);
 *                     {@code env.java.opts.all}, {@code env.java.opts.jobmanager} and
 *                     {@code env.java.opts.taskmanager} are added to the processes' JVM options as Flink's scripts do
 */
public record ClusterSettings(int taskManagers, int slots, int restPort, Map<String, String> overrides) {

    public static final String JOBMANAGER_MEMORY = "1024m";
    public static final String TASKMANAGER_MEMORY = "2048m";

    public ClusterSettings {
        if (taskManagers < 1) {
            throw new IllegalArgumentException("--taskmanagers must be at least 1, got " + taskManagers);
        }
        if (slots < 1) {
            throw new IllegalArgumentException("--slots must be at least 1, got " + slots);
        }
        if (restPort < 1 || restPort > 65535) {
            throw new IllegalArgumentException("--rest-port must be within 1..65535, got " + restPort);
        }
        overrides = Map.copyOf(Objects.requireNonNull(overrides, "overrides"));
    }

    /**
     * The cluster's Flink configuration, flat keys in a stable order: everything on 127.0.0.1, the JobManager's
     * RPC on {@code rpcPort}, the other ports chosen by the processes, state and temporary files under the layout.
     */
    public Map<String, String> configuration(ClusterLayout layout, int rpcPort) {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("jobmanager.rpc.address", "127.0.0.1");
        c.put("jobmanager.rpc.port", Integer.toString(rpcPort));
        c.put("jobmanager.bind-host", "127.0.0.1");
        c.put("jobmanager.memory.process.size", JOBMANAGER_MEMORY);
        c.put("taskmanager.host", "127.0.0.1");
        c.put("taskmanager.bind-host", "127.0.0.1");
        c.put("taskmanager.numberOfTaskSlots", Integer.toString(slots));
        c.put("taskmanager.memory.process.size", TASKMANAGER_MEMORY);
        c.put("parallelism.default", "1");
        c.put("rest.address", "127.0.0.1");
        c.put("rest.bind-address", "127.0.0.1");
        c.put("rest.port", Integer.toString(restPort));
        c.put("execution.checkpointing.dir", layout.checkpoints().toUri().toString());
        c.put("execution.checkpointing.savepoint-dir", layout.savepoints().toUri().toString());
        c.put("io.tmp.dirs", layout.tmp().toString());
        c.put("web.tmpdir", layout.tmp().resolve("web").toString());
        c.put("web.upload.dir", layout.tmp().resolve("jars").toString());
        c.putAll(overrides);
        return c;
    }
}

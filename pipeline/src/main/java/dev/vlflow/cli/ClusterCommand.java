package dev.vlflow.cli;

import dev.vlflow.pipeline.cluster.ClusterSettings;
import dev.vlflow.pipeline.cluster.FlinkRest;
import dev.vlflow.pipeline.cluster.LocalCluster;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vlflow cluster start|stop|status|add-taskmanager}: a local standalone Flink session cluster (a JobManager and TaskManagers
 * as separate JVMs on Flink's runtime jars, on 127.0.0.1), its files under {@code --dir}.
 */
@Command(name = "cluster", mixinStandardHelpOptions = true,
        description = {"A local standalone Flink session cluster: a JobManager and TaskManagers as separate JVMs "
                + "(Flink's runtime jars only; jobs bring their code in a job jar, see vlflow submit), bound to "
                + "127.0.0.1, with configuration, logs, pid files and checkpoints under --dir."},
        subcommands = {ClusterCommand.Start.class, ClusterCommand.Stop.class, ClusterCommand.Status.class,
            ClusterCommand.AddTaskManager.class})
final class ClusterCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(System.err);
        return 2;
    }

    /** The cluster directory: {@code --dir}, else {@code <vlflow home>/.vlflow/cluster}. */
    static Path dir(Path dir) {
        return dir != null ? dir : DemoCommand.home().resolve(".vlflow").resolve("cluster");
    }

    @Command(name = "start", mixinStandardHelpOptions = true,
            description = "Starts a JobManager and --taskmanagers TaskManagers and waits until they have registered.")
    static final class Start implements Callable<Integer> {

        @Option(names = "--dir", description = "cluster directory (default: <vlflow home>/.vlflow/cluster)")
        Path dir;

        @Option(names = "--taskmanagers", defaultValue = "1", description = "TaskManager processes (default "
                + "${DEFAULT-VALUE})")
        int taskManagers;

        @Option(names = "--slots", defaultValue = "2", description = "task slots per TaskManager (default "
                + "${DEFAULT-VALUE})")
        int slots;

        @Option(names = "--rest-port", defaultValue = "8081", description = "REST API and web UI port on 127.0.0.1 "
                + "(default ${DEFAULT-VALUE})")
        int restPort;

        @Option(names = "--conf", description = "Flink configuration key=value over the generated config.yaml "
                + "(repeatable), e.g. taskmanager.memory.process.size=4g; env.java.opts.taskmanager=... adds JVM "
                + "options")
        Map<String, String> conf = new LinkedHashMap<>();

        @Option(names = "--timeout", defaultValue = "PT120S", description = "how long to wait for the TaskManagers to "
                + "register (ISO-8601, default ${DEFAULT-VALUE})")
        Duration timeout;

        @Override
        public Integer call() throws IOException {
            ClusterSettings settings = new ClusterSettings(taskManagers, slots, restPort, conf);
            LocalCluster cluster = LocalCluster.at(ClusterCommand.dir(dir));
            FlinkRest.Overview o = cluster.start(settings, timeout, System.out);
            System.out.printf(Locale.ROOT, "cluster running: REST and web UI at http://%s (Flink %s), %d "
                            + "taskmanager(s), %d slots; logs in %s%n", cluster.restAddress().orElseThrow(),
                    o.flinkVersion(), o.taskManagers(), o.slotsTotal(), cluster.layout().logs());
            return 0;
        }
    }

    @Command(name = "add-taskmanager", mixinStandardHelpOptions = true,
            description = "Starts one more TaskManager for the running cluster (to scale out, or to replace one "
                    + "that died).")
    static final class AddTaskManager implements Callable<Integer> {

        @Option(names = "--dir", description = "cluster directory (default: <vlflow home>/.vlflow/cluster)")
        Path dir;

        @Override
        public Integer call() throws IOException {
            LocalCluster cluster = LocalCluster.at(ClusterCommand.dir(dir));
            String role = cluster.addTaskManager();
            System.out.println("started " + role + " (log: " + cluster.layout().log(role) + ")");
            return 0;
        }
    }

    @Command(name = "stop", mixinStandardHelpOptions = true,
            description = "Stops the cluster's processes: SIGTERM, then SIGKILL after --timeout.")
    static final class Stop implements Callable<Integer> {

        @Option(names = "--dir", description = "cluster directory (default: <vlflow home>/.vlflow/cluster)")
        Path dir;

        @Option(names = "--timeout", defaultValue = "PT30S", description = "how long each process may take to end "
                + "after SIGTERM before it is killed (ISO-8601, default ${DEFAULT-VALUE})")
        Duration timeout;

        @Override
        public Integer call() {
            LocalCluster cluster = LocalCluster.at(ClusterCommand.dir(dir));
            if (cluster.stop(timeout, System.out) == 0) {
                System.err.println("vlflow: no cluster is running in " + cluster.layout().dir());
                return 1;
            }
            return 0;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "Shows the cluster's processes and its REST overview: TaskManagers, slots and jobs.")
    static final class Status implements Callable<Integer> {

        @Option(names = "--dir", description = "cluster directory (default: <vlflow home>/.vlflow/cluster)")
        Path dir;

        @Override
        public Integer call() {
            LocalCluster cluster = LocalCluster.at(ClusterCommand.dir(dir));
            var members = cluster.members();
            if (members.stream().noneMatch(LocalCluster.Member::alive)) {
                System.err.println("vlflow: no cluster is running in " + cluster.layout().dir()
                        + " (start one with: vlflow cluster start)");
                return 1;
            }
            System.out.println("cluster in " + cluster.layout().dir());
            for (LocalCluster.Member m : members) {
                System.out.printf(Locale.ROOT, "  %-14s pid %-8d %s%n", m.role(), m.pid(),
                        m.alive() ? "running" : "not running (ended)");
            }
            String rest = cluster.restAddress().orElseThrow();
            try {
                FlinkRest api = new FlinkRest(rest);
                FlinkRest.Overview o = api.overview();
                System.out.printf(Locale.ROOT, "REST http://%s (Flink %s): %d taskmanager(s), %d slots (%d "
                                + "available); jobs: %d running, %d finished, %d cancelled, %d failed%n", rest,
                        o.flinkVersion(), o.taskManagers(), o.slotsTotal(), o.slotsAvailable(), o.jobsRunning(),
                        o.jobsFinished(), o.jobsCancelled(), o.jobsFailed());
                for (FlinkRest.Job j : api.jobs()) {
                    System.out.printf(Locale.ROOT, "  job %s  %-10s %s%n", j.id(), j.state(), j.name());
                }
                return 0;
            } catch (IOException e) {
                System.err.println("vlflow: the cluster's processes run but its REST API does not answer: "
                        + e.getMessage());
                return 1;
            }
        }
    }
}

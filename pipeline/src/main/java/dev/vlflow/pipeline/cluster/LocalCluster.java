package dev.vlflow.pipeline.cluster;

import dev.vlflow.cluster.FlinkRuntime;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ConfigurationUtils;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.configuration.RestOptions;

/**
 * A standalone Flink session cluster on this machine: one JobManager and N TaskManagers, each a separate JVM whose
 * classpath is Flink's runtime only ({@link FlinkRuntime}; user code arrives with a job jar), all bound to
 * 127.0.0.1, with their configuration, logs, pid files and state under one directory ({@link ClusterLayout}). The
 * processes outlive the command that started them; {@link #stop} ends them by their pid files.
 */
public final class LocalCluster {

    static final String JOBMANAGER_MAIN = "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint";
    static final String TASKMANAGER_MAIN = "org.apache.flink.runtime.taskexecutor.TaskManagerRunner";
    static final String BASH_JAVA_UTILS = "org.apache.flink.runtime.util.bash.BashJavaUtils";
    /** How BashJavaUtils marks its result lines: JVM options, then {@code -D key=value} program arguments. */
    static final String RESULT_PREFIX = "BASH_JAVA_UTILS_EXEC_RESULT:";

    /** Flink's opens list for Java 17, the Vector API the kernels use, and offline DJL. */
    static final List<String> JVM_FLAGS = List.of(
            "--add-exports=java.base/sun.net.util=ALL-UNNAMED",
            "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
            "--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED",
            "--add-opens=java.base/java.lang=ALL-UNNAMED",
            "--add-opens=java.base/java.net=ALL-UNNAMED",
            "--add-opens=java.base/java.io=ALL-UNNAMED",
            "--add-opens=java.base/java.nio=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
            "--add-opens=java.base/java.text=ALL-UNNAMED",
            "--add-opens=java.base/java.time=ALL-UNNAMED",
            "--add-opens=java.base/java.util=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED",
            "--add-modules=jdk.incubator.vector",
            "-Dai.djl.offline=true",
            "-Xss4m");

    private final ClusterLayout layout;

    private LocalCluster(ClusterLayout layout) {
        this.layout = layout;
    }

    public static LocalCluster at(Path dir) {
        return new LocalCluster(new ClusterLayout(dir));
    }

    public ClusterLayout layout() {
        return layout;
    }

    /** One process of the cluster as its pid file records it; {@code process} is empty once it has ended. */
    public record Member(String role, long pid, Optional<ProcessHandle> process) {
        public boolean alive() {
            return process.isPresent();
        }
    }

    /** The processes the pid files name (JobManager first), alive or not. */
    public List<Member> members() {
        if (!Files.isDirectory(layout.pids())) {
            return List.of();
        }
        List<Member> members = new ArrayList<>();
        try (Stream<Path> files = Files.list(layout.pids())) {
            for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".pid")).toList()) {
                String role = f.getFileName().toString().replaceFirst("\\.pid$", "");
                long pid = Long.parseLong(Files.readString(f).strip());
                members.add(new Member(role, pid, ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                        .filter(this::ours)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the pid files in " + layout.pids(), e);
        }
        members.sort((a, b) -> order(a.role()) - order(b.role()));
        return members;
    }

    /** Whether any process of the cluster is alive. */
    public boolean running() {
        return members().stream().anyMatch(Member::alive);
    }

    /** The REST endpoint {@code 127.0.0.1:PORT} of the configuration the last start wrote, if any. */
    public Optional<String> restAddress() {
        if (!Files.isRegularFile(layout.configYaml())) {
            return Optional.empty();
        }
        Configuration config = GlobalConfiguration.loadConfiguration(layout.conf().toString());
        return Optional.of(config.get(RestOptions.ADDRESS, "127.0.0.1") + ":" + config.get(RestOptions.PORT));
    }

    /**
     * Starts the JobManager and the TaskManagers and waits until every TaskManager has registered.
     *
     * @throws IllegalStateException when a cluster already runs in this directory, the REST port is busy, or a
     *                               process ends or the TaskManagers do not register within {@code timeout} (the
     *                               processes started are stopped; the message quotes their logs)
     */
    public FlinkRest.Overview start(ClusterSettings settings, Duration timeout, PrintStream out) throws IOException {
        List<Member> alive = members().stream().filter(Member::alive).toList();
        if (!alive.isEmpty()) {
            throw new IllegalStateException("a cluster is already running in " + layout.dir() + " ("
                    + alive.stream().map(m -> m.role() + " pid " + m.pid()).collect(Collectors.joining(", "))
                    + "): stop it first (vlflow cluster stop --dir " + layout.dir() + ")");
        }
        Map<String, String> overrides = settings.overrides();
        int rpcPort = overrides.containsKey("jobmanager.rpc.port")
                ? Integer.parseInt(overrides.get("jobmanager.rpc.port")) : freePort();
        Map<String, String> configuration = settings.configuration(layout, rpcPort);
        int restPort = Integer.parseInt(configuration.get("rest.port"));
        ensureFree(restPort, "the REST port " + restPort + " on 127.0.0.1 is busy: give another with --rest-port");
        ensureFree(rpcPort, "the JobManager's RPC port " + rpcPort + " on 127.0.0.1 is busy");

        writeFiles(configuration);
        String classpath = FlinkRuntime.classpath().stream().map(Path::toString)
                .collect(Collectors.joining(File.pathSeparator));
        List<String[]> jmParams = resourceParams(classpath, "GET_JM_RESOURCE_PARAMS");
        List<String[]> tmParams = resourceParams(classpath, "GET_TM_RESOURCE_PARAMS");

        List<Process> started = new ArrayList<>();
        try {
            started.add(launch(ClusterLayout.JOBMANAGER, JOBMANAGER_MAIN, classpath, jmParams,
                    javaOpts(configuration, "jobmanager")));
            for (int i = 1; i <= settings.taskManagers(); i++) {
                started.add(launch(ClusterLayout.taskManager(i), TASKMANAGER_MAIN, classpath, tmParams,
                        javaOpts(configuration, "taskmanager")));
            }
            out.println("started jobmanager and " + settings.taskManagers() + " taskmanager(s) in " + layout.dir()
                    + "; waiting for them to register ...");
            return awaitRegistered(new FlinkRest("127.0.0.1:" + restPort), settings.taskManagers(), timeout);
        } catch (IOException | RuntimeException e) {
            for (Process p : started) {
                p.destroyForcibly();
            }
            deletePidFiles();
            throw e;
        }
    }

    /**
     * Starts one more TaskManager for the running cluster (its role numbered after the highest so far), with the
     * configuration the last start wrote: to scale out, or to replace a TaskManager that died.
     *
     * @return the new TaskManager's role
     * @throws IllegalStateException when the cluster's JobManager is not running
     */
    public String addTaskManager() throws IOException {
        List<Member> members = members();
        if (members.stream().noneMatch(m -> m.alive() && m.role().equals(ClusterLayout.JOBMANAGER))) {
            throw new IllegalStateException("no cluster is running in " + layout.dir()
                    + " (start one with: vlflow cluster start)");
        }
        int next = members.stream().filter(m -> !m.role().equals(ClusterLayout.JOBMANAGER))
                .mapToInt(m -> order(m.role())).max().orElse(0) + 1;
        String classpath = FlinkRuntime.classpath().stream().map(Path::toString)
                .collect(Collectors.joining(File.pathSeparator));
        Map<String, String> configuration = GlobalConfiguration.loadConfiguration(layout.conf().toString()).toMap();
        String role = ClusterLayout.taskManager(next);
        launch(role, TASKMANAGER_MAIN, classpath, resourceParams(classpath, "GET_TM_RESOURCE_PARAMS"),
                javaOpts(configuration, "taskmanager"));
        return role;
    }

    /**
     * Stops every process of the cluster: SIGTERM, then SIGKILL for those still alive after {@code timeout}.
     * TaskManagers go first, the JobManager last. Removes the pid files.
     *
     * @return how many processes were running
     */
    public int stop(Duration timeout, PrintStream out) {
        List<Member> members = new ArrayList<>(members());
        java.util.Collections.reverse(members);   // taskmanagers, then the jobmanager
        int running = 0;
        for (Member m : members) {
            if (m.process().isEmpty()) {
                continue;
            }
            running++;
            ProcessHandle p = m.process().get();
            p.destroy();
            try {
                p.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                out.println("stopped " + m.role() + " (pid " + m.pid() + ")");
            } catch (TimeoutException e) {
                p.destroyForcibly();
                awaitExit(p, Duration.ofSeconds(10));
                out.println("killed " + m.role() + " (pid " + m.pid() + "): still running " + timeout.toSeconds()
                        + " s after SIGTERM");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
            } catch (ExecutionException e) {
                throw new IllegalStateException(e);
            }
        }
        deletePidFiles();
        return running;
    }

    private FlinkRest.Overview awaitRegistered(FlinkRest rest, int taskManagers, Duration timeout)
            throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        IOException last = null;
        while (true) {
            for (Member m : members()) {
                if (!m.alive()) {
                    throw new IllegalStateException(m.role() + " (pid " + m.pid() + ") ended while starting; "
                            + "the end of its output:" + System.lineSeparator() + tail(m.role()));
                }
            }
            try {
                FlinkRest.Overview overview = rest.overview();
                if (overview.taskManagers() >= taskManagers) {
                    return overview;
                }
            } catch (IOException e) {
                last = e;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the cluster did not come up within " + timeout.toSeconds() + " s ("
                        + (last == null ? "not every taskmanager registered" : last.getMessage()) + "); logs in "
                        + layout.logs() + System.lineSeparator() + tail(ClusterLayout.JOBMANAGER));
            }
            sleep(Duration.ofMillis(300));
        }
    }

    private Process launch(String role, String mainClass, String classpath, List<String[]> params,
                           List<String> javaOpts) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(javaBinary());
        command.addAll(JVM_FLAGS);
        command.add("-Dorg.bytedeco.javacpp.cachedir=" + layout.cache().resolve("javacpp"));
        command.add("-Djava.io.tmpdir=" + layout.tmp());
        command.add("-Dlog.file=" + layout.log(role));
        command.add("-Dlog4j.configurationFile=" + layout.log4j().toUri());
        command.addAll(Arrays.asList(params.get(0)));       // -Xmx, -Xms, direct and metaspace sizes
        command.addAll(javaOpts);
        command.add("-cp");
        command.add(classpath);
        command.add(mainClass);
        command.add("--configDir");
        command.add(layout.conf().toString());
        command.addAll(Arrays.asList(params.get(1)));       // -D key=value: the derived memory sizes
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(layout.out(role).toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().put("DJL_CACHE_DIR", layout.cache().resolve("djl").toString());
        builder.environment().put("FLINK_CONF_DIR", layout.conf().toString());
        Process process = builder.start();
        Files.writeString(layout.pidFile(role), Long.toString(process.pid()));
        return process;
    }

    /** BashJavaUtils' two result lines for this configuration, each split into arguments. */
    private List<String[]> resourceParams(String classpath, String command) throws IOException {
        List<String> cmd = List.of(javaBinary(), "-cp", classpath, BASH_JAVA_UTILS, command, "--configDir",
                layout.conf().toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        awaitExit(p.toHandle(), Duration.ofSeconds(60));
        List<String[]> results = output.lines().filter(l -> l.startsWith(RESULT_PREFIX))
                .map(l -> l.substring(RESULT_PREFIX.length()).strip())
                .map(l -> l.isEmpty() ? new String[0] : l.split("\\s+")).toList();
        if (p.exitValue() != 0 || results.size() < 2) {
            throw new IllegalStateException("Flink could not derive the process sizes from " + layout.configYaml()
                    + " (" + command + "):" + System.lineSeparator() + output.strip());
        }
        return results;
    }

    private void writeFiles(Map<String, String> configuration) throws IOException {
        for (Path d : List.of(layout.conf(), layout.logs(), layout.pids(), layout.checkpoints(),
                layout.savepoints(), layout.tmp(), layout.cache())) {
            Files.createDirectories(d);
        }
        deletePidFiles();
        List<String> lines = new ArrayList<>();
        lines.add("# Generated by `vlflow cluster start`; rewritten at every start (use --conf key=value).");
        lines.addAll(ConfigurationUtils.convertConfigToWritableLines(Configuration.fromMap(configuration), true));
        Files.write(layout.configYaml(), lines);
        Files.writeString(layout.log4j(), String.join(System.lineSeparator(),
                "# Generated by `vlflow cluster start`: each process logs to its own file (-Dlog.file).",
                "monitorInterval = 30",
                "rootLogger.level = INFO",
                "rootLogger.appenderRef.file.ref = MainAppender",
                "logger.kafka.name = org.apache.kafka",
                "logger.kafka.level = WARN",
                "appender.main.name = MainAppender",
                "appender.main.type = File",
                "appender.main.append = true",
                "appender.main.fileName = ${sys:log.file}",
                "appender.main.layout.type = PatternLayout",
                "appender.main.layout.pattern = %d{yyyy-MM-dd HH:mm:ss,SSS} %-5p %-60c %x - %m%n", ""));
    }

    /** {@code env.java.opts.all} and {@code env.java.opts.<role>}, as Flink's scripts add them. */
    private static List<String> javaOpts(Map<String, String> configuration, String role) {
        List<String> opts = new ArrayList<>();
        for (String key : List.of("env.java.opts.all", "env.java.opts." + role)) {
            String value = configuration.getOrDefault(key, "").strip();
            if (!value.isEmpty()) {
                opts.addAll(Arrays.asList(value.split("\\s+")));
            }
        }
        return opts;
    }

    private String tail(String role) {
        StringBuilder s = new StringBuilder();
        for (Path f : List.of(layout.out(role), layout.log(role))) {
            try {
                if (Files.isRegularFile(f)) {
                    List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
                    s.append("==> ").append(f).append(System.lineSeparator());
                    lines.subList(Math.max(0, lines.size() - 25), lines.size())
                            .forEach(l -> s.append(l).append(System.lineSeparator()));
                }
            } catch (IOException e) {
                s.append("(cannot read ").append(f).append(": ").append(e.getMessage()).append(")");
            }
        }
        return s.toString();
    }

    /** Whether a live process is one of this cluster's (guards against a pid reused by another process). */
    private boolean ours(ProcessHandle p) {
        return p.info().commandLine().map(c -> c.contains(layout.conf().toString())).orElse(false);
    }

    private void deletePidFiles() {
        if (!Files.isDirectory(layout.pids())) {
            return;
        }
        try (Stream<Path> files = Files.list(layout.pids())) {
            for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".pid")).toList()) {
                Files.deleteIfExists(f);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the pid files in " + layout.pids(), e);
        }
    }

    private static int order(String role) {
        return role.equals(ClusterLayout.JOBMANAGER) ? 0
                : Integer.parseInt(role.substring(role.lastIndexOf('-') + 1));
    }

    private static void ensureFree(int port, String message) {
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
            s.setReuseAddress(true);
        } catch (BindException e) {
            throw new IllegalStateException(message);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A port free on 127.0.0.1 now. */
    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static void awaitExit(ProcessHandle p, Duration timeout) {
        try {
            p.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // still running: the caller reports it
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}

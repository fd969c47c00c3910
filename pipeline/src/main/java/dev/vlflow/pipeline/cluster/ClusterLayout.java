package dev.vlflow.pipeline.cluster;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where a local standalone cluster keeps its files:
 * <pre>
 * DIR/conf/config.yaml          Flink 2 configuration (generated at start)
 * DIR/conf/log4j.properties     logging of every process
 * DIR/log/ROLE.log, ROLE.out    each process's Flink log and its stdout/stderr
 * DIR/pids/ROLE.pid             process ids (ROLE: jobmanager, taskmanager-1, ...)
 * DIR/checkpoints/, savepoints/ state of the jobs
 * DIR/tmp/                      io.tmp.dirs, jar uploads, RocksDB working files
 * DIR/cache/                    natives extracted by JavaCPP and DJL (kept across restarts)
 * </pre>
 */
public record ClusterLayout(Path dir) {

    public static final String JOBMANAGER = "jobmanager";

    public ClusterLayout {
        dir = Objects.requireNonNull(dir, "dir").toAbsolutePath().normalize();
    }

    public Path conf() {
        return dir.resolve("conf");
    }

    public Path configYaml() {
        return conf().resolve("config.yaml");
    }

    public Path log4j() {
        return conf().resolve("log4j.properties");
    }

    public Path logs() {
        return dir.resolve("log");
    }

    public Path log(String role) {
        return logs().resolve(role + ".log");
    }

    public Path out(String role) {
        return logs().resolve(role + ".out");
    }

    public Path pids() {
        return dir.resolve("pids");
    }

    public Path pidFile(String role) {
        return pids().resolve(role + ".pid");
    }

    public Path checkpoints() {
        return dir.resolve("checkpoints");
    }

    public Path savepoints() {
        return dir.resolve("savepoints");
    }

    public Path tmp() {
        return dir.resolve("tmp");
    }

    public Path cache() {
        return dir.resolve("cache");
    }

    /** The role of the {@code index}-th TaskManager (from 1). */
    public static String taskManager(int index) {
        return "taskmanager-" + index;
    }
}

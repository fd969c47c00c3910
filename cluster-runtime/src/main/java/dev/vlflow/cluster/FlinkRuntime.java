package dev.vlflow.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The classpath of a standalone Flink JobManager or TaskManager without flink-dist: Flink's runtime, clients,
 * streaming, RocksDB state backend, connector base, runtime-web (REST jar upload) and a Log4j 2 binding, as this
 * module's build resolved them. No vlflow class is on it: user code arrives with the job jar.
 */
public final class FlinkRuntime {

    /** The list {@code dependency:build-classpath} wrote at build time (path separator between entries). */
    static final String RESOURCE = "flink-runtime.classpath";

    private FlinkRuntime() {
    }

    /**
     * The jars, each checked to exist.
     *
     * @throws IllegalStateException when the list is missing or names a jar that is gone (the local Maven
     *                               repository changed since the build)
     */
    public static List<Path> classpath() {
        String listed;
        try (InputStream in = FlinkRuntime.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the Flink runtime classpath (" + RESOURCE + ") is not on the "
                        + "classpath: build the cluster-runtime module (mvn install)");
            }
            listed = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
        List<Path> jars = new ArrayList<>();
        for (String entry : listed.split(java.io.File.pathSeparator)) {
            if (entry.isBlank()) {
                continue;
            }
            Path jar = Path.of(entry.trim());
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException("the Flink runtime jar " + jar + " is gone: rebuild the "
                        + "cluster-runtime module (mvn install) against the current Maven repository");
            }
            jars.add(jar);
        }
        if (jars.isEmpty()) {
            throw new IllegalStateException(RESOURCE + " lists no jars");
        }
        return List.copyOf(jars);
    }
}

package dev.vlflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vlflow.pipeline.cluster.ClusterLayout;
import dev.vlflow.pipeline.cluster.ClusterSettings;
import dev.vlflow.pipeline.cluster.FlinkRest;
import dev.vlflow.pipeline.cluster.LocalCluster;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code vlflow cluster} and {@code vlflow submit} say when they cannot do their work (no cluster, a busy port,
 * no jar, nobody at the REST address), the configuration a start writes, and how Flink's errors are shortened.
 * The commands against real processes are in it-tests (ClusterEndToEndTest, ClusterFailoverTest).
 */
class ClusterCommandTest {

    @TempDir
    Path temp;

    @Test
    void statusAndStopSayThatNoClusterRuns() {
        String dir = temp.resolve("none").toString();
        Result status = run("cluster", "status", "--dir", dir);
        assertEquals(1, status.code());
        assertTrue(status.err().contains("no cluster is running in " + dir + " (start one with: vlflow cluster "
                + "start)"), status.err());
        Result stop = run("cluster", "stop", "--dir", dir);
        assertEquals(1, stop.code());
        assertTrue(stop.err().contains("no cluster is running in " + dir), stop.err());
        Result add = run("cluster", "add-taskmanager", "--dir", dir);
        assertEquals(1, add.code());
        assertTrue(add.err().contains("no cluster is running in " + dir), add.err());
    }

    @Test
    void startRefusesABusyRestPortAndBadCounts() throws Exception {
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            Result r = run("cluster", "start", "--dir", temp.resolve("c").toString(), "--rest-port",
                    Integer.toString(busy.getLocalPort()));
            assertEquals(1, r.code());
            assertTrue(r.err().contains("the REST port " + busy.getLocalPort() + " on 127.0.0.1 is busy: give "
                    + "another with --rest-port"), r.err());
        }
        Result r = run("cluster", "start", "--dir", temp.resolve("c").toString(), "--taskmanagers", "0");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("--taskmanagers must be at least 1, got 0"), r.err());
        assertTrue(LocalCluster.at(temp.resolve("c")).members().isEmpty(), "nothing started");
    }

    @Test
    void submitSaysWhatIsMissing() throws Exception {
        Result noJar = run("submit", "--jar", temp.resolve("missing.jar").toString(), "--jobmanager", "127.0.0.1:1");
        assertEquals(1, noJar.code());
        assertTrue(noJar.err().contains("no job jar at " + temp.resolve("missing.jar")), noJar.err());

        Path jar = Files.write(temp.resolve("job.jar"), new byte[] {1, 2, 3});
        int closed = LocalCluster.freePort();
        Result nobody = run("submit", "--jar", jar.toString(), "--jobmanager", "127.0.0.1:" + closed);
        assertEquals(1, nobody.code());
        assertTrue(nobody.err().contains("no Flink REST endpoint answers at http://127.0.0.1:" + closed
                + " (connection refused)"), nobody.err());
        assertTrue(nobody.out().isEmpty(), "no job id");

        Result malformed = run("submit", "--jar", jar.toString(), "--jobmanager", "http://host");
        assertEquals(2, malformed.code());
        assertTrue(malformed.err().contains("expected HOST:PORT of a Flink REST endpoint, got 'http://host'"),
                malformed.err());
    }

    @Test
    void theGeneratedConfigurationBindsEverythingToLoopbackAndKeepsStateUnderTheDirectory() {
        ClusterLayout layout = new ClusterLayout(temp);
        Map<String, String> c = new ClusterSettings(2, 3, 18081, Map.of("taskmanager.memory.process.size", "4g"))
                .configuration(layout, 16123);
        assertEquals("127.0.0.1", c.get("jobmanager.rpc.address"));
        assertEquals("16123", c.get("jobmanager.rpc.port"));
        assertEquals("127.0.0.1", c.get("rest.bind-address"));
        assertEquals("127.0.0.1", c.get("taskmanager.bind-host"));
        assertEquals("18081", c.get("rest.port"));
        assertEquals("3", c.get("taskmanager.numberOfTaskSlots"));
        assertEquals("4g", c.get("taskmanager.memory.process.size"), "--conf wins");
        assertEquals(temp.resolve("checkpoints").toUri().toString(), c.get("execution.checkpointing.dir"));
        assertThrows(IllegalArgumentException.class, () -> new ClusterSettings(1, 0, 8081, Map.of()));
        assertThrows(IllegalArgumentException.class, () -> new ClusterSettings(1, 1, 70000, Map.of()));
    }

    @Test
    void flinksErrorsAreShortenedToTheirFirstLineAndCauses() throws Exception {
        String body = "{\"errors\":[\"org.apache.flink.runtime.rest.handler.RestHandlerException: Could not execute "
                + "application.\\n\\tat org.apache.flink.X.y(X.java:1)\\nCaused by: java.lang.IllegalArgumentException:"
                + " no model: set vlflow.model.path\\n\\tat dev.vlflow.Z.z(Z.java:2)\\n\"]}";
        assertEquals(String.join(System.lineSeparator(),
                        "org.apache.flink.runtime.rest.handler.RestHandlerException: Could not execute application.",
                        "Caused by: java.lang.IllegalArgumentException: no model: set vlflow.model.path"),
                FlinkRest.errorText(new ObjectMapper().readTree(body)));
    }

    private record Result(int code, String out, String err) {
    }

    private static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        PrintStream stderr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int code = Main.run(args);
            return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(stdout);
            System.setErr(stderr);
        }
    }
}

package dev.vlflow.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vlflow.cli.Main;
import dev.vlflow.connectors.events.Answer;
import dev.vlflow.connectors.events.Question;
import dev.vlflow.engine.VlModel;
import dev.vlflow.pipeline.cluster.FlinkRest;
import dev.vlflow.pipeline.cluster.LocalCluster;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.AbstractMap.SimpleEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job jar on a standalone cluster of real processes: {@code vlflow cluster start} (a JobManager and one
 * TaskManager, separate JVMs on Flink's runtime jars only, free ports on 127.0.0.1), a real Kafka broker holding the
 * demo script's segments and questions, {@code vlflow submit} of the shaded jar through the REST API, then the
 * answers read from the output topic with read_committed and compared with the plain engine API. The cluster is
 * stopped whatever happens.
 */
class ClusterEndToEndTest {

    private static final String INPUT = "vlflow.events";
    private static final String ANSWERS = "vlflow.answers";
    private static final String DEAD_LETTERS = "vlflow.dead-letters";

    @TempDir
    Path temp;

    @Test
    void theSubmittedJobJarAnswersEveryQuestionExactlyOnceOnAStandaloneCluster() throws Exception {
        Path jobJar = Path.of(System.getProperty("vlflow.job.jar", "../job/target/vlflow-job.jar"));
        assertTrue(Files.isRegularFile(jobJar), "no job jar at " + jobJar + " (mvn package -pl job)");
        StreamFixture fixture = new StreamFixture(temp);
        Path clusterDir = temp.resolve("cluster");
        int restPort = LocalCluster.freePort();
        try (KafkaBroker broker = KafkaEndToEndTest.brokerWithTopics(temp.resolve("kafka"))) {
            List<SimpleEntry<String, byte[]>> records = KafkaEndToEndTest.scriptRecords(fixture);
            broker.produce(INPUT, new ArrayList<>(records));

            try {
                List<String> start = new ArrayList<>(List.of("cluster", "start", "--dir", clusterDir.toString(),
                        "--taskmanagers", "1", "--slots", "2", "--rest-port", Integer.toString(restPort),
                        "--conf", "taskmanager.memory.process.size=1600m",
                        "--conf", "jobmanager.memory.process.size=768m"));
                String javacppCache = System.getProperty("org.bytedeco.javacpp.cachedir");
                if (javacppCache != null) {   // natives extracted once for the build, not per test
                    start.addAll(List.of("--conf", "env.java.opts.taskmanager=-Dorg.bytedeco.javacpp.cachedir="
                            + Path.of(javacppCache).toAbsolutePath()));
                }
                assertEquals(0, Main.run(start.toArray(String[]::new)));
                LocalCluster cluster = LocalCluster.at(clusterDir);
                assertEquals(List.of("jobmanager", "taskmanager-1"),
                        cluster.members().stream().filter(LocalCluster.Member::alive).map(LocalCluster.Member::role)
                                .toList());
                assertTrue(cluster.members().stream().allMatch(m -> m.pid() != ProcessHandle.current().pid()));

                Captured submit = captured(() -> Main.run("submit", "--dir", clusterDir.toString(),
                        "--jar", jobJar.toString(), "--parallelism", "2",
                        "--conf", "vlflow.kafka.bootstrap-servers=" + broker.bootstrapServers(),
                        "--conf", "vlflow.model.path=" + fixture.model,
                        "--conf", "vlflow.kafka.starting-offsets=earliest",
                        "--conf", "vlflow.kafka.transactional-id-prefix=cluster-e2e",
                        "--conf", "execution.checkpointing.interval=500 ms",
                        "--conf", "vlflow.input.file-roots=" + fixture.video.toAbsolutePath().getParent(),
                        "--conf", "vlflow.video.frames-per-segment=" + StreamFixture.FRAMES,
                        "--conf", "vlflow.decoding.max-new-tokens=" + StreamFixture.MAX_TOKENS));
                assertEquals(0, submit.code(), submit.err());
                String jobId = submit.out().strip();
                assertTrue(jobId.matches("[0-9a-f]{32}"), "the job id alone on stdout: " + submit.out());

                KafkaEndToEndTest.awaitAnswers(broker, Set.of("q1", "q2", "q3", "q4"));
                FlinkRest rest = new FlinkRest(cluster.restAddress().orElseThrow());
                assertEquals("RUNNING", rest.jobState(jobId));
                Captured status = captured(() -> Main.run("cluster", "status", "--dir", clusterDir.toString()));
                assertEquals(0, status.code(), status.err());
                assertTrue(status.out().contains("1 taskmanager(s), 2 slots (0 available)"), status.out());
                assertTrue(status.out().contains("job " + jobId + "  RUNNING"), status.out());

                Map<String, Answer> answers = KafkaEndToEndTest.answersInOrder(broker);
                assertEquals(Set.of("q1", "q2", "q3", "q4"), answers.keySet());
                try (VlModel engine = fixture.load()) {
                    for (Answer a : answers.values()) {
                        Question q = fixture.question(a.getQuestionId());
                        assertEquals(fixture.reference(engine, q.getStreamId(), a.getSegments(), q).tokenIds(),
                                a.getTokenIds(), a.getQuestionId() + " token ids");
                    }
                }
                assertTrue(broker.readCommitted(DEAD_LETTERS).all().isEmpty());
            } finally {
                List<ProcessHandle> processes = LocalCluster.at(clusterDir).members().stream()
                        .flatMap(m -> m.process().stream()).toList();
                Main.run("cluster", "stop", "--dir", clusterDir.toString());
                for (ProcessHandle p : processes) {
                    p.onExit().get(60, java.util.concurrent.TimeUnit.SECONDS);
                }
            }
            assertTrue(LocalCluster.at(clusterDir).members().isEmpty(), "pid files removed");
        }
    }

    private record Captured(int code, String out, String err) {
    }

    private interface Run {
        int run();
    }

    /** Runs a command with stdout and stderr captured (the command line prints there). */
    private static Captured captured(Run command) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        PrintStream stderr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = command.run();
        } finally {
            System.setOut(stdout);
            System.setErr(stderr);
        }
        String o = out.toString(StandardCharsets.UTF_8);
        String e = err.toString(StandardCharsets.UTF_8);
        stderr.print(e);
        return new Captured(code, o, e);
    }
}

package dev.vlflow.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vlflow.cli.Main;
import dev.vlflow.connectors.events.Answer;
import dev.vlflow.connectors.events.Question;
import dev.vlflow.engine.VlModel;
import dev.vlflow.pipeline.cluster.LocalCluster;
import dev.vlflow.pipeline.stream.DemoInputs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.AbstractMap.SimpleEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A TaskManager killed with SIGKILL mid-stream: the job jar runs on a standalone cluster (JobManager + one
 * TaskManager, real processes) over a real broker; once the first answer is committed the TaskManager is killed,
 * the rest of the streams' segments and questions are produced while no TaskManager runs, and a new TaskManager is
 * started ({@code vlflow cluster add-taskmanager}). The job restores its last checkpoint there: the streams' KV
 * caches come back from state (the later questions are about segments sent before the kill), the source rewinds to
 * the checkpoint's offsets, and read with read_committed every question is answered exactly once, with the same
 * tokens as the plain engine API.
 */
class ClusterFailoverTest {

    private static final String INPUT = "vlflow.events";

    @TempDir
    Path temp;

    @Test
    void aTaskManagerKilledMidStreamLosesAndRepeatsNothing() throws Exception {
        Path jobJar = Path.of(System.getProperty("vlflow.job.jar", "../job/target/vlflow-job.jar"));
        assertTrue(Files.isRegularFile(jobJar), "no job jar at " + jobJar + " (mvn package -pl job)");
        StreamFixture fixture = new StreamFixture(temp);
        List<SimpleEntry<String, byte[]>> records = KafkaEndToEndTest.scriptRecords(fixture);
        int firstQuestion = 4;   // cam-1#0, cam-2#0, cam-1#1, then q1: everything else is sent after the kill
        assertTrue(fixture.script.get(firstQuestion - 1) instanceof DemoInputs.Ask a
                && a.question().getQuestionId().equals("q1"));

        Path clusterDir = temp.resolve("cluster");
        try (KafkaBroker broker = KafkaEndToEndTest.brokerWithTopics(temp.resolve("kafka"))) {
            broker.produce(INPUT, new ArrayList<>(records.subList(0, firstQuestion)));
            try {
                List<String> start = new ArrayList<>(List.of("cluster", "start", "--dir", clusterDir.toString(),
                        "--rest-port", Integer.toString(LocalCluster.freePort()),
                        "--conf", "taskmanager.memory.process.size=1600m",
                        "--conf", "jobmanager.memory.process.size=768m",
                        // a lost TaskManager is noticed within seconds; restarts retry every second
                        "--conf", "heartbeat.interval=1000", "--conf", "heartbeat.timeout=5000",
                        "--conf", "restart-strategy.type=fixed-delay",
                        "--conf", "restart-strategy.fixed-delay.attempts=1000",
                        "--conf", "restart-strategy.fixed-delay.delay=1 s"));
                String javacppCache = System.getProperty("org.bytedeco.javacpp.cachedir");
                if (javacppCache != null) {
                    start.addAll(List.of("--conf", "env.java.opts.taskmanager=-Dorg.bytedeco.javacpp.cachedir="
                            + Path.of(javacppCache).toAbsolutePath()));
                }
                assertEquals(0, Main.run(start.toArray(String[]::new)));
                assertEquals(0, Main.run("submit", "--dir", clusterDir.toString(), "--jar", jobJar.toString(),
                        "--parallelism", "2",
                        "--conf", "vlflow.kafka.bootstrap-servers=" + broker.bootstrapServers(),
                        "--conf", "vlflow.model.path=" + fixture.model,
                        "--conf", "vlflow.kafka.starting-offsets=earliest",
                        "--conf", "vlflow.kafka.transactional-id-prefix=cluster-failover",
                        "--conf", "execution.checkpointing.interval=500 ms",
                        "--conf", "vlflow.input.file-roots=" + fixture.video.toAbsolutePath().getParent(),
                        "--conf", "vlflow.video.frames-per-segment=" + StreamFixture.FRAMES,
                        "--conf", "vlflow.decoding.max-new-tokens=" + StreamFixture.MAX_TOKENS));
                KafkaEndToEndTest.awaitAnswers(broker, Set.of("q1"));

                LocalCluster cluster = LocalCluster.at(clusterDir);
                LocalCluster.Member taskManager = cluster.members().stream()
                        .filter(m -> m.role().equals("taskmanager-1")).findFirst().orElseThrow();
                ProcessHandle killed = taskManager.process().orElseThrow();
                killed.destroyForcibly();   // SIGKILL: no shutdown hook, no goodbye to the JobManager
                killed.onExit().get(30, TimeUnit.SECONDS);
                assertFalse(killed.isAlive());

                broker.produce(INPUT, new ArrayList<>(records.subList(firstQuestion, records.size())));
                assertEquals(0, Main.run("cluster", "add-taskmanager", "--dir", clusterDir.toString()));
                assertTrue(cluster.members().stream().anyMatch(m -> m.role().equals("taskmanager-2") && m.alive()));

                KafkaEndToEndTest.awaitAnswers(broker, Set.of("q1", "q2", "q3", "q4"));
                Map<String, Answer> answers = KafkaEndToEndTest.answersInOrder(broker);   // each exactly once
                assertEquals(Set.of("q1", "q2", "q3", "q4"), answers.keySet());
                try (VlModel engine = fixture.load()) {
                    for (Answer a : answers.values()) {
                        Question q = fixture.question(a.getQuestionId());
                        assertEquals(q.getAfterSegment() + 1, a.getSegments(), a.getQuestionId());
                        assertEquals(fixture.reference(engine, q.getStreamId(), a.getSegments(), q).tokenIds(),
                                a.getTokenIds(), a.getQuestionId() + " token ids after the failover");
                    }
                }
                assertTrue(broker.readCommitted("vlflow.dead-letters").all().isEmpty());
            } finally {
                List<ProcessHandle> processes = LocalCluster.at(clusterDir).members().stream()
                        .flatMap(m -> m.process().stream()).toList();
                Main.run("cluster", "stop", "--dir", clusterDir.toString());
                for (ProcessHandle p : processes) {
                    p.onExit().get(60, TimeUnit.SECONDS);
                }
            }
        }
    }
}

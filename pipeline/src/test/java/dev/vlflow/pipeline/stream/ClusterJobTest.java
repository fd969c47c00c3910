package dev.vlflow.pipeline.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.junit.jupiter.api.Test;

/** The cluster entry point's arguments, its configuration layers, and the job it builds (no cluster needed). */
class ClusterJobTest {

    @Test
    void programArgumentsArePairsAfterConf() {
        assertEquals(Map.of("a.b", "1", "c", "x=y", "d", ""),
                ClusterJob.arguments("--conf", "a.b=0", "--conf", "c=x=y", "--conf=a.b=1", "--conf", "d="));
        assertEquals(Map.of(), ClusterJob.arguments());
        assertEquals("unknown program argument '--kafka'; the job takes --conf key=value (repeatable)",
                assertThrows(IllegalArgumentException.class, () -> ClusterJob.arguments("--kafka", "h:1"))
                        .getMessage());
        assertEquals("--conf needs key=value",
                assertThrows(IllegalArgumentException.class, () -> ClusterJob.arguments("--conf")).getMessage());
        assertEquals("--conf needs key=value, got '=3'",
                assertThrows(IllegalArgumentException.class, () -> ClusterJob.arguments("--conf", "=3"))
                        .getMessage());
    }

    @Test
    void argumentsWinOverTheClusterWhichWinsOverTheBundledDefaults() {
        Configuration cluster = Configuration.fromMap(Map.of("vlflow.decoding.max-new-tokens", "5",
                "vlflow.kv.page-tokens", "32", "rest.port", "8081"));
        Configuration config = ClusterJob.configuration(cluster, Map.of("vlflow.decoding.max-new-tokens", "7"));
        assertEquals("7", config.toMap().get("vlflow.decoding.max-new-tokens"));
        assertEquals("32", config.toMap().get("vlflow.kv.page-tokens"));
        assertEquals("8081", config.toMap().get("rest.port"));
        assertEquals(Duration.ofSeconds(10), config.get(CheckpointingOptions.CHECKPOINTING_INTERVAL), "bundled");
        assertEquals("rocksdb", config.toMap().get("state.backend.type"), "bundled");
    }

    @Test
    void buildsTheKafkaJobWithTheCheckpointIntervalOfItsArguments() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(
                Configuration.fromMap(Map.of("vlflow.kafka.input-topic", "cams")));
        Configuration config = ClusterJob.build(env, "--conf", "vlflow.kafka.bootstrap-servers=127.0.0.1:9",
                "--conf", "vlflow.model.path=/models/m", "--conf", "execution.checkpointing.interval=2 s");
        assertEquals("cams", config.toMap().get("vlflow.kafka.input-topic"), "the environment's configuration");
        assertEquals(2000, env.getCheckpointInterval());
        List<String> operators = env.getStreamGraph().getStreamNodes().stream().map(StreamNode::getOperatorName)
                .toList();
        for (String name : List.of(StreamingJob.KAFKA_SOURCE, StreamingJob.KAFKA_PARSE, StreamingJob.SESSION,
                "/job/sink/kafka/answers", "/job/sink/kafka/dead-letters")) {
            assertTrue(operators.stream().anyMatch(o -> o.contains(name)), name + " in " + operators);
        }
        assertTrue(operators.stream().noneMatch(o -> o.contains("console")), "no console sinks on a cluster");
    }

    @Test
    void refusesAJobWithoutKafkaOrModel() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        assertEquals("the cluster job reads and writes Kafka: set vlflow.kafka.bootstrap-servers (program "
                        + "arguments: --conf vlflow.kafka.bootstrap-servers=HOST:PORT)",
                assertThrows(IllegalArgumentException.class, () -> ClusterJob.build(env, "--conf",
                        "vlflow.model.path=/m")).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ClusterJob.build(env, "--conf",
                "vlflow.kafka.bootstrap-servers=127.0.0.1:9")).getMessage().startsWith("no model: set vlflow.model.path"));
    }
}

package dev.vlflow.conf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;

class KafkaOptionsTest {

    @Test
    void kafkaIsSelectedByTheBootstrapServersOnly() {
        assertTrue(KafkaOptions.read(VlflowConfiguration.bundled()).isEmpty());
        Configuration c = VlflowConfiguration.load(Optional.empty(), Map.of(
                "vlflow.kafka.bootstrap-servers", "127.0.0.1:9092"));
        assertEquals(new KafkaSpec("127.0.0.1:9092", "vlflow.events", "vlflow.answers", "vlflow.dead-letters",
                "vlflow", "vlflow", Duration.ofMinutes(10), KafkaSpec.StartingOffsets.COMMITTED,
                KafkaSpec.Stop.NEVER), KafkaOptions.read(c).orElseThrow());
    }

    @Test
    void everyKeyIsTyped() {
        Configuration c = VlflowConfiguration.load(Optional.empty(), Map.of(
                "vlflow.kafka.bootstrap-servers", "127.0.0.1:9092,127.0.0.1:9093",
                "vlflow.kafka.input-topic", "in", "vlflow.kafka.answers-topic", "out",
                "vlflow.kafka.dead-letters-topic", "dlq", "vlflow.kafka.group-id", "g",
                "vlflow.kafka.transactional-id-prefix", "job-7", "vlflow.kafka.transaction-timeout", "2 min",
                "vlflow.kafka.starting-offsets", "earliest", "vlflow.kafka.stop", "at_end"));
        assertEquals(new KafkaSpec("127.0.0.1:9092,127.0.0.1:9093", "in", "out", "dlq", "g", "job-7",
                Duration.ofMinutes(2), KafkaSpec.StartingOffsets.EARLIEST, KafkaSpec.Stop.AT_END),
                KafkaOptions.read(c).orElseThrow());
    }

    @Test
    void exactlyOnceNeedsCheckpointsAndATimeoutAboveTheirInterval() {
        Configuration noCheckpoints = VlflowConfiguration.bundled();
        noCheckpoints.removeKey("execution.checkpointing.interval");
        noCheckpoints.setString(KafkaOptions.BOOTSTRAP_SERVERS.key(), "127.0.0.1:9092");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> KafkaOptions.read(noCheckpoints))
                .getMessage().contains("execution.checkpointing.interval"));
        Configuration shortTimeout = VlflowConfiguration.load(Optional.empty(), Map.of(
                "vlflow.kafka.bootstrap-servers", "127.0.0.1:9092", "vlflow.kafka.transaction-timeout", "5 s"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> KafkaOptions.read(shortTimeout))
                .getMessage().contains("vlflow.kafka.transaction-timeout"));
    }

    @Test
    void badTopicsAreRefusedWithTheirKey() {
        Configuration same = VlflowConfiguration.load(Optional.empty(), Map.of(
                "vlflow.kafka.bootstrap-servers", "127.0.0.1:9092", "vlflow.kafka.answers-topic", "vlflow.events"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> KafkaOptions.read(same)).getMessage()
                .contains("must differ"));
        Configuration blank = VlflowConfiguration.load(Optional.empty(), Map.of(
                "vlflow.kafka.bootstrap-servers", "127.0.0.1:9092", "vlflow.kafka.group-id", " "));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> KafkaOptions.read(blank)).getMessage()
                .contains("vlflow.kafka.group-id"));
        Configuration badEnum = VlflowConfiguration.load(Optional.empty(), Map.of(
                "vlflow.kafka.bootstrap-servers", "127.0.0.1:9092", "vlflow.kafka.stop", "sometimes"));
        assertThrows(IllegalArgumentException.class, () -> KafkaOptions.read(badEnum));
    }
}

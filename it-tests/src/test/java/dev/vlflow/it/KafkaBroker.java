package dev.vlflow.it;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.network.ListenerName;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * A real Kafka broker in the test's JVM (KRaft, one combined broker/controller node, Kafka's own test kit), listening
 * on 127.0.0.1 only, with the clients the tests need: a producer, an admin, and a read_committed reader.
 */
final class KafkaBroker implements AutoCloseable {

    private static final ListenerName LISTENER = ListenerName.normalised("EXTERNAL");

    private final KafkaClusterTestKit cluster;
    private final String bootstrapServers;

    private KafkaBroker(KafkaClusterTestKit cluster) {
        this.cluster = cluster;
        // (the kit's own bootstrapServers() names localhost, which may resolve elsewhere than 127.0.0.1)
        this.bootstrapServers = "127.0.0.1:" + cluster.brokers().values().iterator().next().boundPort(LISTENER);
    }

    static KafkaBroker start(Path dir) throws Exception {
        KafkaClusterTestKit cluster = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                .setCombined(true).setNumBrokerNodes(1).setNumControllerNodes(1).setBaseDirectory(dir)
                .setBrokerListenerName(LISTENER)
                .setControllerListenerName(ListenerName.normalised("CONTROLLER"))
                .build())
                .setConfigProp("listeners", "EXTERNAL://127.0.0.1:0,CONTROLLER://127.0.0.1:0")
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("transaction.state.log.replication.factor", "1")
                .setConfigProp("transaction.state.log.min.isr", "1")
                .setConfigProp("group.initial.rebalance.delay.ms", "0")
                .build();
        try {
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
        } catch (Exception e) {
            cluster.close();
            throw e;
        }
        KafkaBroker broker = new KafkaBroker(cluster);
        try (Admin admin = broker.admin()) {
            var nodes = admin.describeCluster().nodes().get();
            if (nodes.stream().anyMatch(n -> !n.host().equals("127.0.0.1"))) {
                throw new IllegalStateException("the test broker must advertise 127.0.0.1 only, got " + nodes);
            }
        } catch (Exception e) {
            cluster.close();
            throw e;
        }
        return broker;
    }

    String bootstrapServers() {
        return bootstrapServers;
    }

    private Admin admin() {
        return Admin.create(Map.of("bootstrap.servers", bootstrapServers));
    }

    void createTopic(String name, int partitions) throws Exception {
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get();
        }
    }

    /** Sends {@code records} (key, value) to {@code topic} in order, and returns where each one landed. */
    List<RecordMetadata> produce(String topic, List<Map.Entry<String, byte[]>> records) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        List<RecordMetadata> out = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (Map.Entry<String, byte[]> r : records) {
                byte[] key = r.getKey() == null ? null : r.getKey().getBytes(java.nio.charset.StandardCharsets.UTF_8);
                out.add(producer.send(new ProducerRecord<>(topic, key, r.getValue())).get());
            }
        }
        return out;
    }

    /** A topic's committed records, per partition in offset order, and each partition's end offset. */
    record Committed(Map<Integer, List<ConsumerRecord<byte[], byte[]>>> partitions, Map<Integer, Long> endOffsets) {
        List<ConsumerRecord<byte[], byte[]>> all() {
            return partitions.values().stream().flatMap(List::stream).toList();
        }
    }

    /** Everything committed on {@code topic}, read with {@code isolation.level=read_committed}. */
    Committed readCommitted(String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> parts = consumer.partitionsFor(topic).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            Map<TopicPartition, Long> end = consumer.endOffsets(parts);   // the last stable offsets
            Map<Integer, List<ConsumerRecord<byte[], byte[]>>> records = new java.util.TreeMap<>();
            parts.forEach(tp -> records.put(tp.partition(), new ArrayList<>()));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (parts.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("could not read " + topic + " to its end offsets " + end);
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    records.get(r.partition()).add(r);
                }
            }
            Map<Integer, Long> endOffsets = new java.util.TreeMap<>();
            end.forEach((tp, o) -> endOffsets.put(tp.partition(), o));
            return new Committed(records, endOffsets);
        }
    }

    @Override
    public void close() throws Exception {
        cluster.close();
    }
}

package dev.vlflow.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vlflow.cli.Main;
import dev.vlflow.conf.KafkaOptions;
import dev.vlflow.conf.KafkaSpec;
import dev.vlflow.connectors.events.Answer;
import dev.vlflow.connectors.events.AnswerEvent;
import dev.vlflow.connectors.events.AnswerToken;
import dev.vlflow.connectors.events.ErrorKind;
import dev.vlflow.connectors.events.InputRecord;
import dev.vlflow.connectors.events.PipelineError;
import dev.vlflow.connectors.events.Question;
import dev.vlflow.connectors.kafka.EventCodec;
import dev.vlflow.engine.VlModel;
import dev.vlflow.pipeline.stream.DemoInputs;
import dev.vlflow.pipeline.stream.KafkaIo;
import dev.vlflow.pipeline.stream.LocalRunner;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.AbstractMap.SimpleEntry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The streaming job between Kafka topics on a real broker (127.0.0.1): segments and questions of the demo script
 * (the real test video) as Avro records on the input topic, plus two malformed records; the job started by
 * {@code vlflow stream --kafka} on a MiniCluster with checkpoints every 300 ms and exactly-once sinks; the answers
 * and dead-letter topics read with read_committed.
 */
class KafkaEndToEndTest {

    private static final String INPUT = "vlflow.events";
    private static final String ANSWERS = "vlflow.answers";
    private static final String DEAD_LETTERS = "vlflow.dead-letters";

    @TempDir
    Path temp;

    @Test
    void everyQuestionIsAnsweredExactlyOnceTokensThenAnswerAndMalformedRecordsAreDeadLetters() throws Exception {
        StreamFixture fixture = new StreamFixture(temp);
        EventCodec<InputRecord> input = EventCodec.of(InputRecord.class);
        try (KafkaBroker broker = brokerWithTopics(temp.resolve("kafka"))) {

            List<SimpleEntry<String, byte[]>> records = new ArrayList<>();
            records.add(new SimpleEntry<>("cam-1", "this is not avro".getBytes(StandardCharsets.UTF_8)));
            records.add(new SimpleEntry<>("cam-2", input.encode(new InputRecord(DemoInputs.ask("cam-1", "q-wrong-key",
                    "Keyed by another stream?", 0, 4).question()))));
            records.addAll(scriptRecords(fixture));
            List<RecordMetadata> sent = broker.produce(INPUT, new ArrayList<>(records));

            // ./vlflow stream --kafka: parallelism 2, checkpoints every 300 ms, the fixture's frames and tokens
            assertEquals(0, Main.run("stream", "--kafka", broker.bootstrapServers(), "--until-end",
                    "--output", temp.resolve("out").toString(), "--model", fixture.model.toString(), "--quiet",
                    "--parallelism", "2", "--conf", "execution.checkpointing.interval=300 ms",
                    "--conf", "vlflow.video.frames-per-segment=" + StreamFixture.FRAMES,
                    "--conf", "vlflow.decoding.max-new-tokens=" + StreamFixture.MAX_TOKENS,
                    "--conf", "vlflow.kafka.transactional-id-prefix=kafka-e2e",
                    // Kafka input has no folder of its own: the videos' folder is allowed explicitly
                    "--conf", "vlflow.input.file-roots=" + fixture.video.toAbsolutePath().getParent()));

            // Dead letters: exactly the two malformed records, with their reason and coordinates.
            EventCodec<PipelineError> errors = EventCodec.of(PipelineError.class);
            Map<String, PipelineError> deadLetters = new TreeMap<>();
            for (ConsumerRecord<byte[], byte[]> r : broker.readCommitted(DEAD_LETTERS).all()) {
                PipelineError e = errors.decode(r.value());
                deadLetters.put(e.getInput(), e);
            }
            String garbage = INPUT + "-" + sent.get(0).partition() + "@" + sent.get(0).offset();
            String wrongKey = INPUT + "-" + sent.get(1).partition() + "@" + sent.get(1).offset();
            assertEquals(Set.of(garbage, wrongKey), deadLetters.keySet(), deadLetters::toString);
            assertEquals(ErrorKind.MALFORMED_RECORD, deadLetters.get(garbage).getKind());
            assertTrue(deadLetters.get(garbage).getReason().contains("not an Avro single-object"));
            assertEquals("cam-1", deadLetters.get(garbage).getStreamId());
            assertTrue(deadLetters.get(wrongKey).getReason().contains("is not its stream"));

            // Answers: per partition in offset order; every question once, its tokens 0..n-1 before it.
            Map<String, Answer> answers = answersInOrder(broker);
            KafkaBroker.Committed committed = broker.readCommitted(ANSWERS);
            int outputRecords = committed.all().size();
            assertEquals(Set.of("q1", "q2", "q3", "q4"), answers.keySet());
            int tokenRecords = answers.values().stream().mapToInt(a -> a.getTokenIds().size()).sum();
            assertEquals(answers.size() + tokenRecords, outputRecords, "nothing but the tokens and answers");
            // Written in transactions: each commit marker takes an offset, so the end offsets pass the records.
            long endOffsets = committed.endOffsets().values().stream().mapToLong(Long::longValue).sum();
            assertTrue(endOffsets > outputRecords, "transaction markers: end offsets " + endOffsets + " vs records "
                    + outputRecords);

            // The same answers as the plain engine API on the same frames.
            try (VlModel engine = fixture.load()) {
                for (Answer a : answers.values()) {
                    Question q = fixture.question(a.getQuestionId());
                    assertEquals(q.getAfterSegment() + 1, a.getSegments(), a.getQuestionId());
                    assertEquals(fixture.reference(engine, q.getStreamId(), a.getSegments(), q).tokenIds(),
                            a.getTokenIds(), a.getQuestionId() + " token ids");
                }
            }
        }
    }

    /**
     * A failure after the first answer is committed: the job is cancelled (its open transactions die with it) and
     * restored from its last retained checkpoint; the source rewinds to the checkpoint's offsets and the answers in
     * flight are generated again. Read with read_committed, every question is still answered exactly once with
     * contiguous tokens.
     */
    @Test
    void aRestoreFromTheLastCheckpointNeitherLosesNorRepeatsAnswers() throws Exception {
        StreamFixture fixture = new StreamFixture(temp);
        try (KafkaBroker broker = brokerWithTopics(temp.resolve("kafka"))) {
            List<SimpleEntry<String, byte[]>> records = scriptRecords(fixture);
            broker.produce(INPUT, new ArrayList<>(records));

            Path checkpoints = temp.resolve("checkpoints");
            Configuration config = fixture.configuration(checkpoints);
            config.set(KafkaOptions.BOOTSTRAP_SERVERS, broker.bootstrapServers());
            config.set(KafkaOptions.STARTING_OFFSETS, KafkaSpec.StartingOffsets.EARLIEST);
            config.set(KafkaOptions.TRANSACTIONAL_ID_PREFIX, "kafka-restore");
            config.set(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
                    ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
            KafkaIo io = new KafkaIo(KafkaOptions.read(config).orElseThrow(), false);

            JobClient first = LocalRunner.start(config, io);
            awaitAnswers(broker, Set.of("q1"));
            first.cancel().get();
            Path checkpoint = lastCheckpoint(checkpoints.resolve(first.getJobID().toString()));

            Configuration restore = new Configuration(config);
            restore.set(StateRecoveryOptions.SAVEPOINT_PATH, checkpoint.toUri().toString());
            JobClient second = LocalRunner.start(restore, io);
            awaitAnswers(broker, Set.of("q1", "q2", "q3", "q4"));
            second.cancel().get();

            Map<String, Answer> answers = answersInOrder(broker);
            assertEquals(Set.of("q1", "q2", "q3", "q4"), answers.keySet());
            try (VlModel engine = fixture.load()) {
                for (Answer a : answers.values()) {
                    Question q = fixture.question(a.getQuestionId());
                    assertEquals(fixture.reference(engine, q.getStreamId(), a.getSegments(), q).tokenIds(),
                            a.getTokenIds(), a.getQuestionId() + " token ids after the restore");
                }
            }
            assertTrue(broker.readCommitted(DEAD_LETTERS).all().isEmpty());
        }
    }

    /** A broker on 127.0.0.1 with the job's three topics (input and answers in 2 partitions, dead letters in 1). */
    static KafkaBroker brokerWithTopics(Path dir) throws Exception {
        KafkaBroker broker = KafkaBroker.start(dir);
        broker.createTopic(INPUT, 2);
        broker.createTopic(ANSWERS, 2);
        broker.createTopic(DEAD_LETTERS, 1);
        return broker;
    }

    /** The fixture's demo script as input-topic records (key = stream id, value = single-object Avro). */
    static List<SimpleEntry<String, byte[]>> scriptRecords(StreamFixture fixture) {
        EventCodec<InputRecord> codec = EventCodec.of(InputRecord.class);
        List<SimpleEntry<String, byte[]>> records = new ArrayList<>();
        for (DemoInputs.Event e : fixture.script) {
            Object event = e instanceof DemoInputs.Segment s ? s.segment() : ((DemoInputs.Ask) e).question();
            records.add(new SimpleEntry<>(streamOf(e), codec.encode(new InputRecord(event))));
        }
        return records;
    }

    static String streamOf(DemoInputs.Event e) {
        return e instanceof DemoInputs.Segment s ? s.segment().getStreamId()
                : ((DemoInputs.Ask) e).question().getStreamId();
    }

    /**
     * The committed answers, each checked against its tokens: per partition in offset order, a question's tokens
     * come first with indices 0..n-1 (none repeated), then its one answer holding those token ids.
     */
    static Map<String, Answer> answersInOrder(KafkaBroker broker) throws Exception {
        EventCodec<AnswerEvent> codec = EventCodec.of(AnswerEvent.class);
        Map<String, Answer> answers = new HashMap<>();
        for (var partition : broker.readCommitted(ANSWERS).partitions().values()) {
            Map<String, List<AnswerToken>> tokens = new HashMap<>();
            for (ConsumerRecord<byte[], byte[]> r : partition) {
                Object event = codec.decode(r.value()).getEvent();
                if (event instanceof AnswerToken t) {
                    assertEquals(t.getStreamId(), new String(r.key(), StandardCharsets.UTF_8));
                    assertTrue(!answers.containsKey(t.getQuestionId()), "a token after its answer: " + t);
                    List<AnswerToken> mine = tokens.computeIfAbsent(t.getQuestionId(), k -> new ArrayList<>());
                    assertEquals(mine.size(), t.getIndex(), "token indices in order, none repeated: " + t);
                    mine.add(t);
                } else {
                    Answer a = (Answer) event;
                    assertEquals(a.getStreamId(), new String(r.key(), StandardCharsets.UTF_8));
                    assertTrue(answers.put(a.getQuestionId(), a) == null, a.getQuestionId() + " answered twice");
                    List<AnswerToken> mine = tokens.getOrDefault(a.getQuestionId(), List.of());
                    assertEquals(a.getTokenIds(), mine.stream().map(AnswerToken::getTokenId).toList(),
                            a.getQuestionId() + ": its tokens, in order, before it");
                    assertEquals(a.getText(), String.join("", mine.stream().map(AnswerToken::getText).toList()));
                }
            }
        }
        return answers;
    }

    /** Waits until answers to {@code ids} are committed on the answers topic. */
    static void awaitAnswers(KafkaBroker broker, Set<String> ids) throws Exception {
        EventCodec<AnswerEvent> codec = EventCodec.of(AnswerEvent.class);
        long deadline = System.nanoTime() + java.time.Duration.ofMinutes(2).toNanos();
        Set<String> seen = new java.util.TreeSet<>();
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<byte[], byte[]> r : broker.readCommitted(ANSWERS).all()) {
                if (codec.decode(r.value()).getEvent() instanceof Answer a) {
                    seen.add(a.getQuestionId());
                }
            }
            if (seen.containsAll(ids)) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("answers " + ids + " not committed within 2 min; got " + seen);
    }

    /** The retained checkpoint with the highest number under a job's checkpoint directory. */
    private static Path lastCheckpoint(Path jobDir) throws java.io.IOException {
        try (var dirs = java.nio.file.Files.list(jobDir)) {
            return dirs.filter(d -> d.getFileName().toString().startsWith("chk-")
                            && java.nio.file.Files.exists(d.resolve("_metadata")))
                    .max(java.util.Comparator.comparingLong(d -> Long.parseLong(d.getFileName().toString()
                            .substring(4))))
                    .orElseThrow(() -> new AssertionError("no retained checkpoint in " + jobDir));
        }
    }

    @Test
    void theStreamCommandSaysWhatItNeeds() {
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        java.io.PrintStream stderr = System.err;
        System.setErr(new java.io.PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            assertEquals(2, Main.run("stream", "--quiet"));
            assertEquals(2, Main.run("stream", "--kafka", "127.0.0.1:9", "--input", temp.toString()));
            assertEquals(1, Main.run("stream", "--kafka", "127.0.0.1:9", "--conf",
                    "vlflow.kafka.transaction-timeout=1 s"));
        } finally {
            System.setErr(stderr);
        }
        String messages = err.toString(StandardCharsets.UTF_8);
        assertTrue(messages.contains("give --input FILE|DIR (JSONL) or --kafka BOOTSTRAP"), messages);
        assertTrue(messages.contains("with Kafka (vlflow.kafka.bootstrap-servers) the input is the topic "
                + "vlflow.events"), messages);
        assertTrue(messages.contains("vlflow.kafka.transaction-timeout (PT1S) must be longer than "
                + "execution.checkpointing.interval"), messages);
    }
}

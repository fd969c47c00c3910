package dev.vlflow.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vlflow.cli.Main;
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
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.AbstractMap.SimpleEntry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
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
        try (KafkaBroker broker = KafkaBroker.start(temp.resolve("kafka"))) {
            broker.createTopic(INPUT, 2);
            broker.createTopic(ANSWERS, 2);
            broker.createTopic(DEAD_LETTERS, 1);

            List<SimpleEntry<String, byte[]>> records = new ArrayList<>();
            records.add(new SimpleEntry<>("cam-1", "this is not avro".getBytes(StandardCharsets.UTF_8)));
            records.add(new SimpleEntry<>("cam-2", input.encode(new InputRecord(DemoInputs.ask("cam-1", "q-wrong-key",
                    "Keyed by another stream?", 0, 4).question()))));
            for (DemoInputs.Event e : fixture.script) {
                Object event = e instanceof DemoInputs.Segment s ? s.segment() : ((DemoInputs.Ask) e).question();
                InputRecord record = new InputRecord(event);
                records.add(new SimpleEntry<>(e instanceof DemoInputs.Segment s ? s.segment().getStreamId()
                        : ((DemoInputs.Ask) e).question().getStreamId(), input.encode(record)));
            }
            List<RecordMetadata> sent = broker.produce(INPUT, new ArrayList<>(records));

            // ./vlflow stream --kafka: parallelism 2, checkpoints every 300 ms, the fixture's frames and tokens
            assertEquals(0, Main.run("stream", "--kafka", broker.bootstrapServers(), "--until-end",
                    "--output", temp.resolve("out").toString(), "--model", fixture.model.toString(), "--quiet",
                    "--parallelism", "2", "--conf", "execution.checkpointing.interval=300 ms",
                    "--conf", "vlflow.video.frames-per-segment=" + StreamFixture.FRAMES,
                    "--conf", "vlflow.decoding.max-new-tokens=" + StreamFixture.MAX_TOKENS,
                    "--conf", "vlflow.kafka.transactional-id-prefix=kafka-e2e"));

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
            KafkaBroker.Committed committed = broker.readCommitted(ANSWERS);
            EventCodec<AnswerEvent> answerCodec = EventCodec.of(AnswerEvent.class);
            Map<String, Answer> answers = new HashMap<>();
            int records2 = 0;
            for (var partition : committed.partitions().entrySet()) {
                Map<String, List<AnswerToken>> tokens = new HashMap<>();
                for (ConsumerRecord<byte[], byte[]> r : partition.getValue()) {
                    records2++;
                    Object event = answerCodec.decode(r.value()).getEvent();
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
            assertEquals(Set.of("q1", "q2", "q3", "q4"), answers.keySet());
            int tokenRecords = answers.values().stream().mapToInt(a -> a.getTokenIds().size()).sum();
            assertEquals(answers.size() + tokenRecords, records2, "nothing but the tokens and answers");
            // Written in transactions: each commit marker takes an offset, so the end offsets pass the records.
            long endOffsets = committed.endOffsets().values().stream().mapToLong(Long::longValue).sum();
            assertTrue(endOffsets > records2, "transaction markers: end offsets " + endOffsets + " vs records "
                    + records2);

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

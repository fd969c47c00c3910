package dev.vlflow.operators.session;

import static dev.vlflow.operators.session.SessionFixtures.embeddings;
import static dev.vlflow.operators.session.SessionFixtures.harness;
import static dev.vlflow.operators.session.SessionFixtures.deadLetters;
import static dev.vlflow.operators.session.SessionFixtures.tokens;
import static dev.vlflow.operators.session.SessionFixtures.answers;
import static dev.vlflow.operators.session.SessionFixtures.question;
import static dev.vlflow.operators.session.SessionFixtures.segment;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vlflow.conf.DecodingSpec;
import dev.vlflow.conf.KvSpec;
import dev.vlflow.conf.ServingSpec;
import dev.vlflow.conf.StateSpec;
import dev.vlflow.connectors.events.Answer;
import dev.vlflow.connectors.events.AnswerEvent;
import dev.vlflow.connectors.events.AnswerToken;
import dev.vlflow.connectors.events.ErrorKind;
import dev.vlflow.connectors.events.PipelineError;
import dev.vlflow.connectors.events.StopReason;
import dev.vlflow.engine.GenerationOptions;
import dev.vlflow.engine.TokenListener;
import dev.vlflow.engine.VlSession;
import dev.vlflow.operators.frames.SegmentEmbeddings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.apache.flink.contrib.streaming.state.EmbeddedRocksDBStateBackend;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The session operator's answers decoded as one batch across streams, a step per mailbox turn (the harness runs
 * mails only when told, so a test chooses how steps interleave with input and checkpoints): answers equal the engine
 * API's for seeded interleavings; a checkpoint taken mid-answer restores with no token missing or repeated; the
 * queue, the latency limit and the per-stream token budget act as configured.
 */
@SuppressWarnings("try") // Flink's harnesses declare close() throws Exception
class BatchedSessionsTest extends TinyModelTestBase {

    private static final int MAX_TOKENS = 12;
    private static final KvSpec KV = KvSpec.unbounded(8);
    private static final List<String> TEXTS = List.of("What happens?", "What colour is it?", "Where does it go?",
            "How many are there?");

    private static SessionHarness open(ServingSpec serving) throws Exception {
        SessionHarness h = harness(modelDir, KV, StateSpec.defaults(), DecodingSpec.greedy(MAX_TOKENS), serving,
                false);
        h.setup();
        h.open();
        return h;
    }

    /** The engine API alone: the stream's segments in order, then the question. */
    private static List<Integer> reference(List<SegmentEmbeddings> segments, String text) {
        VlSession session = model.openSession();
        segments.forEach(s -> session.appendFrames(embeddings(s)));
        return session.ask(text, GenerationOptions.greedy(MAX_TOKENS), TokenListener.none()).tokenIds();
    }

    /** Every answer's streamed tokens are indices 0..n-1 once each and equal its final token ids. */
    private static void assertStreamedOnce(List<AnswerEvent> out, Answer a) {
        List<AnswerToken> streamed = tokens(out, a.getQuestionId());
        assertEquals(a.getTokenIds().size(), streamed.size(), "one event per token of " + a.getQuestionId());
        for (int i = 0; i < streamed.size(); i++) {
            assertEquals(i, streamed.get(i).getIndex());
            assertEquals(a.getTokenIds().get(i), streamed.get(i).getTokenId());
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void answersEqualTheEngineForSeededInterleavingsOfStreamsSegmentsQuestionsAndSteps(long seed) throws Exception {
        Random random = new Random(seed);
        List<String> streams = List.of("a", "b", "c", "d");
        Map<String, List<SegmentEmbeddings>> segments = new HashMap<>();
        List<Object> inputs = new ArrayList<>();
        for (String s : streams) {
            List<SegmentEmbeddings> own = new ArrayList<>();
            for (int k = 0; k < 2 + random.nextInt(2); k++) {
                own.add(segment(model, s, k, 1 + random.nextInt(2), seed * 100 + own.size() * 10 + s.charAt(0)));
            }
            segments.put(s, own);
        }
        // per stream: segments in order with questions after some of them; streams shuffled together
        Map<String, Integer> nextSegment = new HashMap<>();
        Map<String, List<SegmentEmbeddings>> asked = new HashMap<>(); // question id -> segments it is answered on
        Map<String, String> textOf = new HashMap<>();
        int questions = 0;
        while (nextSegment.values().stream().mapToInt(Integer::intValue).sum()
                < segments.values().stream().mapToInt(List::size).sum()) {
            String s = streams.get(random.nextInt(streams.size()));
            int k = nextSegment.getOrDefault(s, 0);
            if (k == segments.get(s).size()) {
                continue;
            }
            inputs.add(segments.get(s).get(k));
            nextSegment.put(s, k + 1);
            for (int q = random.nextInt(3); q > 0; q--) {
                String id = s + "-q" + questions++;
                String text = TEXTS.get(random.nextInt(TEXTS.size()));
                inputs.add(question(s, id, text, null, MAX_TOKENS));
                asked.put(id, segments.get(s).subList(0, k + 1));
                textOf.put(id, text);
            }
        }
        ServingSpec serving = new ServingSpec(1 + random.nextInt(6), 64, 3 * MAX_TOKENS, Duration.ZERO);
        try (SessionHarness h = open(serving)) {
            for (Object input : inputs) {
                if (input instanceof SegmentEmbeddings seg) {
                    h.processElement1(seg, 0);
                } else {
                    h.processElement2((dev.vlflow.connectors.events.Question) input, 0);
                }
                for (int steps = random.nextInt(4); steps > 0; steps--) {
                    h.step();
                }
            }
            h.drain();
            List<AnswerEvent> out = h.extractOutputValues();
            List<Answer> answers = answers(out);
            assertEquals(asked.keySet(), answers.stream().map(Answer::getQuestionId).collect(Collectors.toSet()));
            assertEquals(asked.size(), answers.size(), "each question answered once");
            for (Answer a : answers) {
                assertEquals(reference(asked.get(a.getQuestionId()), textOf.get(a.getQuestionId())),
                        a.getTokenIds(), a.getQuestionId() + " with " + serving);
                assertStreamedOnce(out, a);
            }
            assertTrue(deadLetters(h).isEmpty());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"hashmap", "rocksdb"})
    void aCheckpointTakenWhileAnswersGenerateRestoresWithNoTokenMissingOrRepeated(String backend) throws Exception {
        var a0 = segment(model, "a", 0, 2, 31);
        var b0 = segment(model, "b", 0, 1, 32);
        var c0 = segment(model, "c", 0, 1, 33);
        ServingSpec serving = new ServingSpec(2, 16, 4 * MAX_TOKENS, Duration.ZERO); // "qc" waits in the queue
        OperatorSubtaskState snapshot;
        List<AnswerEvent> before;
        try (SessionHarness h = open(serving, backend)) {
            h.processElement1(a0, 0);
            h.processElement1(b0, 0);
            h.processElement1(c0, 0);
            h.processElement2(question("a", "qa", "What happens?", null, MAX_TOKENS), 0);
            h.processElement2(question("b", "qb", "What colour is it?", null, MAX_TOKENS), 0);
            h.processElement2(question("c", "qc", "Where does it go?", null, MAX_TOKENS), 0);
            for (int i = 0; i < 4; i++) {
                h.step();
            }
            snapshot = h.snapshot(1, 1); // does not wait for the answers
            before = new ArrayList<>(h.extractOutputValues());
        }
        assertTrue(answers(before).isEmpty(), "no answer finished before the checkpoint");
        int emitted = tokens(before, "qa").size();
        assertTrue(emitted > 0 && emitted < MAX_TOKENS, "the checkpoint fell inside the answer: " + emitted);
        assertTrue(tokens(before, "qc").isEmpty(), "qc was still queued");
        // restored with a queue of one place: answers accepted before the failure are never dropped
        ServingSpec smaller = new ServingSpec(1, 0, 4 * MAX_TOKENS, Duration.ZERO);
        try (SessionHarness h = harness(modelDir, KV, StateSpec.defaults(), DecodingSpec.greedy(MAX_TOKENS), smaller,
                false)) {
            h.setStateBackend(backend(backend));
            h.setup();
            h.initializeState(snapshot);
            h.open();
            h.drain();
            List<AnswerEvent> all = new ArrayList<>(before);
            all.addAll(h.extractOutputValues());
            List<Answer> answers = answers(all);
            assertEquals(List.of("qa", "qb", "qc"), answers.stream().map(Answer::getQuestionId).sorted().toList());
            Map<String, List<Integer>> expected = Map.of("qa", reference(List.of(a0), "What happens?"),
                    "qb", reference(List.of(b0), "What colour is it?"), "qc", reference(List.of(c0),
                            "Where does it go?"));
            for (Answer a : answers) {
                assertEquals(expected.get(a.getQuestionId()), a.getTokenIds(), a.getQuestionId());
                assertStreamedOnce(all, a);
            }
            // answered questions leave no in-flight record behind
            for (String s : List.of("a", "b", "c")) {
                h.getOperator().setCurrentKey(s);
                assertTrue(h.getOperator().getKeyedStateBackend().getKeys(SessionStore.IN_FLIGHT_NAME,
                        org.apache.flink.runtime.state.VoidNamespace.INSTANCE).findAny().isEmpty());
            }
        }
    }

    private static SessionHarness open(ServingSpec serving, String backend) throws Exception {
        SessionHarness h = harness(modelDir, KV, StateSpec.defaults(), DecodingSpec.greedy(MAX_TOKENS), serving,
                false);
        h.setStateBackend(backend(backend));
        h.setup();
        h.open();
        return h;
    }

    private static org.apache.flink.runtime.state.StateBackend backend(String name) {
        return name.equals("rocksdb") ? new EmbeddedRocksDBStateBackend() : new HashMapStateBackend();
    }

    @Test
    void aFullQueueSendsQuestionsToTheDeadLettersWithTheReason() throws Exception {
        try (SessionHarness h = open(new ServingSpec(1, 1, MAX_TOKENS, Duration.ZERO))) {
            h.processElement1(segment(model, "s", 0, 1, 41), 0);
            for (int i = 0; i < 4; i++) {
                h.processElement2(question("s", "q" + i, "What happens?", null, MAX_TOKENS), 0);
            }
            List<PipelineError> errors = deadLetters(h);
            assertEquals(List.of("q2", "q3"), errors.stream().map(PipelineError::getInput).toList());
            assertTrue(errors.stream().allMatch(e -> e.getKind() == ErrorKind.OVERLOADED
                    && e.getReason().contains("vlflow.serving.max-queued")), errors.toString());
            h.drain();
            assertEquals(List.of("q0", "q1"), answers(h.extractOutputValues()).stream().map(Answer::getQuestionId)
                    .toList());
        }
    }

    @Test
    void anAnswerPastTheLatencyLimitIsCutWithItsTokens() throws Exception {
        try (SessionHarness h = open(new ServingSpec(4, 16, 4 * MAX_TOKENS, Duration.ofNanos(1)))) {
            h.processElement1(segment(model, "s", 0, 1, 42), 0);
            h.processElement2(question("s", "late", "What happens?", null, MAX_TOKENS), 0);
            h.drain();
            List<AnswerEvent> out = h.extractOutputValues();
            Answer a = answers(out).get(0);
            assertEquals(StopReason.DEADLINE, a.getStopReason());
            assertTrue(a.getTokenIds().size() < MAX_TOKENS);
            assertStreamedOnce(out, a);
        }
    }

    @Test
    void aStreamOverItsTokenBudgetWaitsWhileOtherStreamsGoFirst() throws Exception {
        // budget = one answer's token limit: stream a's second and third questions wait for its first answer, b's
        // question (asked last) joins the batch at once
        try (SessionHarness h = open(new ServingSpec(4, 16, MAX_TOKENS, Duration.ZERO))) {
            h.processElement1(segment(model, "a", 0, 1, 43), 0);
            h.processElement1(segment(model, "b", 0, 1, 44), 0);
            for (int i = 0; i < 3; i++) {
                h.processElement2(question("a", "a" + i, TEXTS.get(i), null, MAX_TOKENS), 0);
            }
            h.processElement2(question("b", "b0", "What happens?", null, MAX_TOKENS), 0);
            h.drain();
            List<AnswerEvent> out = h.extractOutputValues();
            List<String> firstTokens = out.stream().filter(e -> e.getEvent() instanceof AnswerToken t
                    && t.getIndex() == 0).map(e -> ((AnswerToken) e.getEvent()).getQuestionId()).toList();
            assertEquals(List.of("a0", "b0", "a1", "a2"), firstTokens);
            assertEquals(4, answers(out).size());
        }
    }

    @Test
    void aLongSegmentsPrefillStepsTheOtherStreamsAnswersBetweenItsChunks() throws Exception {
        // prefill chunks of 8 tokens: a 3-frame segment is prefilled in many chunks, and the batch steps between them
        dev.vlflow.conf.ModelSpec chunked = new dev.vlflow.conf.ModelSpec(modelDir.toString(), "cpu", 8, 8, "");
        var a0 = segment(model, "a", 0, 1, 51);
        var b0 = segment(model, "b", 0, 3, 52);
        try (SessionHarness h = harness(chunked, KV, StateSpec.defaults(), DecodingSpec.greedy(MAX_TOKENS),
                new ServingSpec(4, 16, 4 * MAX_TOKENS, Duration.ZERO), dev.vlflow.conf.InputSpec.defaults(), false)) {
            h.setup();
            h.open();
            h.processElement1(a0, 0);
            h.processElement2(question("a", "qa", "What happens?", null, MAX_TOKENS), 0);
            h.step(); // admitted, first token
            int before = tokens(h.extractOutputValues(), "qa").size();
            h.processElement1(b0, 0); // no mailbox turn in between: only the between-chunk steps can emit
            int after = tokens(h.extractOutputValues(), "qa").size();
            assertTrue(after > before, "qa advanced during b's prefill: " + before + " -> " + after);
            h.drain();
            Answer qa = answers(h.extractOutputValues()).get(0);
            assertEquals(reference(List.of(a0), "What happens?"), qa.getTokenIds(), "and still equals the engine");
            assertStreamedOnce(h.extractOutputValues(), qa);
        }
    }
}

package dev.vlflow.operators.session;

import static dev.vlflow.operators.session.SessionFixtures.embeddings;
import static dev.vlflow.operators.session.SessionFixtures.harness;
import static dev.vlflow.operators.session.SessionFixtures.deadLetters;
import static dev.vlflow.operators.session.SessionFixtures.tokens;
import static dev.vlflow.operators.session.SessionFixtures.answers;
import static dev.vlflow.operators.session.SessionFixtures.question;
import static dev.vlflow.operators.session.SessionFixtures.segment;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vlflow.conf.KvBudget;
import dev.vlflow.conf.KvSpec;
import dev.vlflow.conf.StateSpec;
import dev.vlflow.connectors.events.Answer;
import dev.vlflow.connectors.events.AnswerEvent;
import dev.vlflow.connectors.events.AnswerToken;
import dev.vlflow.connectors.events.ErrorKind;
import dev.vlflow.connectors.events.PipelineError;
import dev.vlflow.connectors.events.Question;
import dev.vlflow.engine.GenerationOptions;
import dev.vlflow.engine.TokenListener;
import dev.vlflow.engine.VlSession;
import dev.vlflow.operators.evict.CacheEviction;
import dev.vlflow.operators.frames.SegmentEmbeddings;
import dev.vlflow.engine.SessionState;
import dev.vlflow.kv.FloatKvCache;
import dev.vlflow.kv.PagedKvCache;
import dev.vlflow.kv.PagedKvCacheParts;
import dev.vlflow.operators.model.EngineSettings;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The session operator in Flink's operator test harness, on the tiny random model, against the plain engine API on
 * the same inputs: answers must match token for token (greedy decoding on float caches is exact).
 */
@SuppressWarnings("try") // Flink's harnesses declare close() throws Exception
class VideoSessionHarnessTest extends TinyModelTestBase {

    private static final int MAX_TOKENS = 10;

    /**
     * The KV spec of a precision: fp32 in 8-token state pages; quantized with 16-token pages, groups of 8 and an
     * fp32 window of 8, so the short test streams fill pages of every kind.
     */
    private static KvSpec kv(String precision) {
        return precision.equals("fp32") ? KvSpec.unbounded(8)
                : new KvSpec(16, new KvBudget.Unbounded(), precision, 8, 8);
    }

    /** A new engine session with the cache {@code kv} asks for. */
    private static VlSession openSession(KvSpec kv) {
        return EngineSettings.cacheConfig(kv).map(c -> model.resumeSession(new PagedKvCache(model.cacheShape(), c),
                new SessionState(0, 0))).orElseGet(model::openSession);
    }

    /** The engine API directly: one session, segments appended in order, then the question. */
    private static dev.vlflow.engine.Answer reference(List<SegmentEmbeddings> segments, String text) {
        return reference(KvSpec.unbounded(8), segments, text);
    }

    private static dev.vlflow.engine.Answer reference(KvSpec kv, List<SegmentEmbeddings> segments, String text) {
        VlSession session = openSession(kv);
        segments.forEach(s -> session.appendFrames(embeddings(s)));
        return session.ask(text, GenerationOptions.greedy(MAX_TOKENS), TokenListener.none());
    }

    private static KeyedTwoInputStreamOperatorTestHarness<String, SegmentEmbeddings, Question, AnswerEvent> open(
            KvSpec kv, StateSpec state) throws Exception {
        var h = harness(modelDir, kv, state);
        h.setup();
        h.open();
        return h;
    }

    private static void assertMatches(dev.vlflow.engine.Answer expected, Answer actual, List<AnswerToken> streamed) {
        assertEquals(expected.tokenIds(), actual.getTokenIds(), "token ids");
        assertEquals(expected.text(), actual.getText());
        assertEquals(expected.promptTokens(), actual.getStatistics().getPrefillTokens());
        assertEquals(expected.contextTokens(), actual.getStatistics().getContextTokens());
        assertEquals(expected.tokenIds().size(), streamed.size(), "one event per token");
        for (int i = 0; i < streamed.size(); i++) {
            assertEquals(i, streamed.get(i).getIndex());
            assertEquals(expected.tokenIds().get(i), streamed.get(i).getTokenId());
        }
        assertEquals(expected.text(), streamed.stream().map(AnswerToken::getText).collect(Collectors.joining()));
    }

    @Test
    void segmentsThenQuestionsOnSeveralStreams() throws Exception {
        var a0 = segment(model, "a", 0, 2, 1);
        var a1 = segment(model, "a", 1, 2, 2);
        var b0 = segment(model, "b", 0, 3, 3);
        try (var h = open(KvSpec.unbounded(8), StateSpec.defaults())) {
            h.processElement1(a0, 0);
            h.processElement1(b0, 0);
            h.processElement1(a1, 0);
            h.processElement2(question("a", "qa", "What happens?", null, MAX_TOKENS), 0);
            h.processElement2(question("b", "qb", "What colour?", null, MAX_TOKENS), 0);
            List<AnswerEvent> out = h.extractOutputValues();
            List<Answer> answers = answers(out);
            assertEquals(List.of("qa", "qb"), answers.stream().map(Answer::getQuestionId).toList());
            assertMatches(reference(List.of(a0, a1), "What happens?"), answers.get(0), tokens(out, "qa"));
            assertMatches(reference(List.of(b0), "What colour?"), answers.get(1), tokens(out, "qb"));
            Answer qa = answers.get(0);
            assertEquals(2, qa.getSegments());
            assertEquals(4, qa.getFrames());
            assertEquals(1.0, qa.getStatistics().getKeptRatio());
            assertEquals(0, qa.getStatistics().getEvictedTokens());
            assertEquals(qa.getStatistics().getContextTokens(), qa.getStatistics().getPositions());
            assertTrue(qa.getStatistics().getKvBytes() > 0);
            assertTrue(deadLetters(h).isEmpty());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"fp32", "mixed:4/2"})
    void questionsInterleavedWithSegmentsWaitForTheirSegment(String precision) throws Exception {
        var s0 = segment(model, "s", 0, 2, 4);
        var s1 = segment(model, "s", 1, 1, 5);
        KvSpec kv = kv(precision);
        try (var h = open(kv, StateSpec.defaults())) {
            h.processElement1(s0, 0);
            h.processElement2(question("s", "now", "What is there?", null, MAX_TOKENS), 0);
            h.processElement2(question("s", "later", "What changed?", 1L, MAX_TOKENS), 0);
            assertEquals(List.of("now"), answers(h.extractOutputValues()).stream().map(Answer::getQuestionId)
                    .toList(), "'later' waits for segment 1");
            h.processElement1(s1, 0);
            h.processElement2(question("s", "old", "What was first?", 0L, MAX_TOKENS), 0);
            List<AnswerEvent> out = h.extractOutputValues();
            List<Answer> answers = answers(out);
            assertEquals(List.of("now", "later", "old"), answers.stream().map(Answer::getQuestionId).toList());
            assertMatches(reference(kv, List.of(s0), "What is there?"), answers.get(0), tokens(out, "now"));
            assertMatches(reference(kv, List.of(s0, s1), "What changed?"), answers.get(1), tokens(out, "later"));
            // a question about segment 0 asked after segment 1 is answered on the stream as of segment 0: for a
            // float cache exactly the cache segment 0 left; a quantized one has quantized some of those tokens
            // since, so its reference is the engine's cache of both segments without the tokens of segment 1
            dev.vlflow.engine.Answer old;
            if (kv.quantized()) {
                VlSession both = openSession(kv);
                both.appendFrames(embeddings(s0));
                int s0Tokens = both.contextTokens();
                both.appendFrames(embeddings(s1));
                var mark = new SessionMetadata(0, 1, s0.frames(), s0Tokens, s0Tokens, 0, kv.pageTokens());
                old = model.resumeSession(both.cache().asOf(mark.nextPosition()),
                        new SessionState(s0Tokens, s0.frames())).ask("What was first?",
                        GenerationOptions.greedy(MAX_TOKENS), TokenListener.none());
            } else {
                old = reference(List.of(s0), "What was first?");
            }
            assertMatches(old, answers.get(2), tokens(out, "old"));
            assertEquals(1, answers.get(2).getSegments());
            assertEquals(2, answers.get(1).getSegments());
        }
    }

    @Test
    void badEventsGoToDeadLettersAndTheStreamGoesOn() throws Exception {
        var s0 = segment(model, "s", 0, 1, 6);
        try (var h = open(KvSpec.unbounded(8), StateSpec.defaults())) {
            h.processElement2(question("ghost", "q0", "Anyone?", null, MAX_TOKENS), 0);
            h.processElement1(s0, 0);
            h.processElement1(segment(model, "s", 0, 1, 7), 0); // sequence 0 again
            h.processElement2(question("s", "never", "And then?", 5L, MAX_TOKENS), 0);
            h.processElement2(question("s", "ok", "What is it?", null, MAX_TOKENS), 0);
            h.processBothWatermarks(new Watermark(Long.MAX_VALUE)); // the input ends
            List<PipelineError> errors = deadLetters(h);
            assertEquals(List.of(ErrorKind.UNKNOWN_STREAM, ErrorKind.OUT_OF_ORDER, ErrorKind.UNANSWERED),
                    errors.stream().map(PipelineError::getKind).toList());
            assertEquals("ghost", errors.get(0).getStreamId());
            assertEquals("q0", errors.get(0).getInput());
            assertEquals("never", errors.get(2).getInput());
            assertEquals("/test/session", errors.get(2).getStage());
            List<AnswerEvent> out = h.extractOutputValues();
            assertMatches(reference(List.of(s0), "What is it?"), answers(out).get(0), tokens(out, "ok"));
        }
    }

    @ParameterizedTest
    @CsvSource({"hashmap, fp32", "rocksdb, fp32", "hashmap, 4", "rocksdb, 4", "hashmap, mixed:4/2",
            "rocksdb, mixed:4/2"})
    void restoredFromASnapshotItContinuesLikeAnUninterruptedRun(String backend, String precision) throws Exception {
        KvSpec kv = kv(precision);
        var a0 = segment(model, "a", 0, 2, 8);
        var a1 = segment(model, "a", 1, 1, 9);
        var a2 = segment(model, "a", 2, 2, 10);
        var b0 = segment(model, "b", 0, 1, 11);
        OperatorSubtaskState snapshot;
        try (var h = harness(modelDir, kv, StateSpec.defaults())) {
            h.setStateBackend(backend(backend));
            h.setup();
            h.open();
            h.processElement1(a0, 0);
            h.processElement1(a1, 0);
            h.processElement1(b0, 0);
            h.processElement2(question("a", "qa", "What happened?", 2L, MAX_TOKENS), 0);
            assertTrue(answers(h.extractOutputValues()).isEmpty());
            snapshot = h.snapshot(1, 1);
        }
        try (var h = harness(modelDir, kv, StateSpec.defaults())) {
            h.setStateBackend(backend(backend));
            h.setup();
            h.initializeState(snapshot);
            h.open();
            h.processElement1(a2, 0);
            h.processElement2(question("b", "qb", "Who is there?", null, MAX_TOKENS), 0);
            List<AnswerEvent> out = h.extractOutputValues();
            List<Answer> answers = answers(out);
            assertEquals(List.of("qa", "qb"), answers.stream().map(Answer::getQuestionId).toList());
            assertMatches(reference(kv, List.of(a0, a1, a2), "What happened?"), answers.get(0), tokens(out, "qa"));
            assertMatches(reference(kv, List.of(b0), "Who is there?"), answers.get(1), tokens(out, "qb"));
            assertEquals(3, answers.get(0).getSegments());
        }
    }

    private static StateBackend backend(String name) {
        return name.equals("rocksdb") ? new EmbeddedRocksDBStateBackend() : new HashMapStateBackend();
    }

    @Test
    void theCacheLivesInPagesAndAnAppendWritesOnlyTheLastAndNewPages() throws Exception {
        var s0 = segment(model, "s", 0, 2, 15);
        var s1 = segment(model, "s", 1, 2, 16);
        int pageTokens = 8;
        try (var h = open(KvSpec.unbounded(pageTokens), StateSpec.defaults())) {
            h.processElement1(s0, 0);
            var backend = h.getOperator().getKeyedStateBackend();
            backend.setCurrentKey("s");
            MapState<Long, byte[]> pages = backend.getPartitionedState(VoidNamespace.INSTANCE,
                    VoidNamespaceSerializer.INSTANCE, SessionStore.PAGES);
            ValueState<SessionMetadata> meta = backend.getPartitionedState(VoidNamespace.INSTANCE,
                    VoidNamespaceSerializer.INSTANCE, SessionStore.METADATA);
            int tokens0 = meta.value().cachedTokens();
            var shape = model.cacheShape();
            Map<Long, byte[]> before = snapshot(pages);
            assertEquals(shape.layers() * ((tokens0 + pageTokens - 1) / pageTokens), before.size());
            assertEquals(KvPages.stateBytes(shape, tokens0, pageTokens), total(before));

            h.processElement1(s1, 0);
            backend.setCurrentKey("s");
            int tokens1 = meta.value().cachedTokens();
            Map<Long, byte[]> after = snapshot(pages);
            assertEquals(KvPages.stateBytes(shape, tokens1, pageTokens), total(after));
            int lastOld = (tokens0 - 1) / pageTokens; // partial before, so rewritten
            for (int layer = 0; layer < shape.layers(); layer++) {
                for (int page = 0; page < lastOld; page++) {
                    long key = KvPages.key(layer, page);
                    assertSame(before.get(key), after.get(key), "full page " + page + " of layer " + layer
                            + " is not rewritten");
                }
                assertNotSame(before.get(KvPages.key(layer, lastOld)), after.get(KvPages.key(layer, lastOld)));
            }
            // the pages hold exactly the engine's cache of the two segments
            VlSession reference = model.openSession();
            reference.appendFrames(embeddings(s0));
            reference.appendFrames(embeddings(s1));
            FloatKvCache expected = (FloatKvCache) reference.cache();
            FloatKvCache restored = new KvPages(pages).read(shape, tokens1, pageTokens);
            for (int layer = 0; layer < shape.layers(); layer++) {
                assertArrayEquals(expected.positions(layer), restored.positions(layer));
                assertArrayEquals(expected.keys(layer), restored.keys(layer));
                assertArrayEquals(expected.values(layer), restored.values(layer));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"4", "mixed:4/2"})
    void aQuantizedCacheLivesInItsOwnPrecisionAndAnAppendWritesOnlyTailsNewRowsAndChangedPages(String precision)
            throws Exception {
        var s0 = segment(model, "s", 0, 2, 15);
        var s1 = segment(model, "s", 1, 2, 16);
        var s2 = segment(model, "s", 2, 2, 17);
        KvSpec kv = kv(precision);
        try (var h = open(kv, StateSpec.defaults())) {
            h.processElement1(s0, 0);
            h.processElement1(s1, 0);
            var backend = h.getOperator().getKeyedStateBackend();
            backend.setCurrentKey("s");
            MapState<Long, byte[]> entries = backend.getPartitionedState(VoidNamespace.INSTANCE,
                    VoidNamespaceSerializer.INSTANCE, SessionStore.PAGES);
            var shape = model.cacheShape();
            Map<Long, byte[]> before = snapshot(entries);
            h.processElement1(s2, 0);
            backend.setCurrentKey("s");
            Map<Long, byte[]> after = snapshot(entries);

            VlSession reference = openSession(kv);
            for (var seg : List.of(s0, s1, s2)) {
                reference.appendFrames(embeddings(seg));
            }
            PagedKvCache expected = (PagedKvCache) reference.cache();
            int untouched = 0;
            for (int layer = 0; layer < shape.layers(); layer++) {
                long tailKey = PagedKvState.tailKey(layer);
                assertNotSame(before.get(tailKey), after.get(tailKey), "the tail is rewritten");
                assertArrayEquals(PagedKvCacheParts.tail(expected, layer), after.get(tailKey));
                var tableBefore = PagedKvCacheParts.pageTable(before.get(tailKey));
                var tableAfter = PagedKvCacheParts.pageTable(after.get(tailKey));
                assertEquals(PagedKvCacheParts.pageTable(expected, layer), tableAfter);
                for (var page : tableAfter) {
                    long key = PagedKvState.pageKey(layer, page.id());
                    assertArrayEquals(PagedKvCacheParts.page(expected, layer, page.id()), after.get(key));
                    if (tableBefore.contains(page)) {
                        assertSame(before.get(key), after.get(key), "page " + page + " of layer " + layer
                                + " is not rewritten");
                        untouched++;
                    }
                }
                // fp32 rows: those still in fp32 are not rewritten, the new segment's are added, exactly
                var rowsBefore = PagedKvCacheParts.manifest(before.get(tailKey)).rows();
                var rowsAfter = PagedKvCacheParts.rowIds(expected, layer);
                assertEquals(rowsAfter, PagedKvCacheParts.manifest(after.get(tailKey)).rows());
                for (long id : rowsAfter) {
                    long key = PagedKvState.rowKey(layer, id);
                    assertArrayEquals(PagedKvCacheParts.row(expected, layer, id), after.get(key));
                    if (rowsBefore.contains(id)) {
                        assertSame(before.get(key), after.get(key), "row " + id + " is not rewritten");
                    }
                }
                assertTrue(rowsAfter.stream().filter(rowsBefore::contains).count() > 0, "some rows stay");
            }
            assertTrue(untouched >= shape.layers(), "pages sealed before the last segment stay: " + untouched);
            // nothing else is stored, and it restores the engine's cache
            assertEquals(PagedKvCacheParts.bytes(expected), total(after));
            PagedKvCache restored = new PagedKvState(entries).read(shape);
            for (int layer = 0; layer < shape.layers(); layer++) {
                assertArrayEquals(expected.dequantize(layer).keys(), restored.dequantize(layer).keys());
                assertArrayEquals(expected.storedBits(layer), restored.storedBits(layer));
            }
            assertTrue(java.util.Arrays.stream(expected.storedBits(0)).anyMatch(b -> b < 32), "some quantized");
        }
    }

    private static Map<Long, byte[]> snapshot(MapState<Long, byte[]> pages) throws Exception {
        Map<Long, byte[]> out = new HashMap<>();
        for (Map.Entry<Long, byte[]> e : pages.entries()) {
            out.put(e.getKey(), e.getValue());
        }
        return out;
    }

    private static long total(Map<Long, byte[]> pages) {
        return pages.values().stream().mapToLong(b -> b.length).sum();
    }

    @Test
    void idleStreamsAreDroppedWithTheirState() throws Exception {
        var s0 = segment(model, "s", 0, 1, 12);
        try (var h = open(KvSpec.unbounded(8), new StateSpec(Duration.ofSeconds(1), 4, 64))) {
            h.setProcessingTime(0);
            h.processElement1(s0, 0);
            h.processElement2(question("s", "waiting", "Then?", 3L, MAX_TOKENS), 0);
            assertTrue(h.numKeyedStateEntries() > 0);
            h.setProcessingTime(999);
            assertTrue(deadLetters(h).isEmpty());
            h.setProcessingTime(1000);
            List<PipelineError> errors = deadLetters(h);
            assertEquals(1, errors.size());
            assertEquals(ErrorKind.UNANSWERED, errors.get(0).getKind());
            assertTrue(errors.get(0).getReason().contains("idle"), errors.get(0).getReason());
            assertEquals(0, h.numKeyedStateEntries(), "pages, metadata, questions and deadline are gone");
            h.processElement2(question("s", "after", "Still there?", null, MAX_TOKENS), 0);
            assertEquals(ErrorKind.UNKNOWN_STREAM, deadLetters(h).get(1).getKind());
        }
    }

    /**
     * Needs the engine to resume a session whose cache holds fewer tokens than its next position (eviction keeps
     * original positions): {@code VlSession} must accept {@code cache.size(0) <= state.contextTokens()}.
     */
    @ParameterizedTest
    @ValueSource(strings = {"fp32", "4"})
    void aBudgetEvictsTokensAndTheAnswerSaysSo(String precision) throws Exception {
        var s0 = segment(model, "s", 0, 2, 13);
        var s1 = segment(model, "s", 1, 2, 14);
        KvBudget.Bounded budget = new KvBudget.Bounded(40, 4, 16, 4);
        KvSpec kv = kv(precision);
        kv = new KvSpec(kv.pageTokens(), budget, kv.precision(), kv.groupSize(), kv.fpWindow());
        try (var h = open(kv, StateSpec.defaults())) {
            h.processElement1(s0, 0); // 4 header + 32 tokens: within the budget
            h.processElement1(s1, 0); // 68 tokens: 28 evicted
            h.processElement2(question("s", "q", "What is left?", null, MAX_TOKENS), 0);
            assertTrue(deadLetters(h).isEmpty(), () -> deadLetters(h).toString());
            List<AnswerEvent> out = h.extractOutputValues();
            Answer answer = answers(out).get(0);
            var stats = answer.getStatistics();
            assertEquals(40, stats.getContextTokens());
            assertEquals(68, stats.getPositions());
            assertEquals(28, stats.getEvictedTokens());
            assertEquals(40.0 / 68, stats.getKeptRatio(), 1e-12);
            // the same eviction applied to the engine's own session gives the same answer
            VlSession reference = openSession(kv);
            reference.appendFrames(embeddings(s0));
            reference.appendFrames(embeddings(s1));
            assertEquals(28, CacheEviction.apply(reference.cache(), budget).orElseThrow()); // in place
            dev.vlflow.engine.Answer expected = reference.ask("What is left?", GenerationOptions.greedy(MAX_TOKENS),
                    TokenListener.none());
            assertEquals(expected.tokenIds(), answer.getTokenIds());
            assertEquals(expected.tokenIds().size(), tokens(out, "q").size());
        }
    }
}

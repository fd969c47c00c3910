package dev.vlflow.operators.session;

import dev.vlflow.conf.DecodingSpec;
import dev.vlflow.conf.InputSpec;
import dev.vlflow.conf.KvSpec;
import dev.vlflow.conf.ModelSpec;
import dev.vlflow.conf.StateSpec;
import dev.vlflow.connectors.events.AnswerEvent;
import dev.vlflow.connectors.events.DeadLetters;
import dev.vlflow.connectors.events.ErrorKind;
import dev.vlflow.connectors.events.Question;
import dev.vlflow.engine.Answer;
import dev.vlflow.engine.ContextFullException;
import dev.vlflow.engine.FrameEmbeddings;
import dev.vlflow.engine.Generation;
import dev.vlflow.engine.KvCacheFactory;
import dev.vlflow.engine.SessionState;
import dev.vlflow.engine.TokenListener;
import dev.vlflow.engine.VlModel;
import dev.vlflow.engine.VlSession;
import dev.vlflow.kv.KvCache;
import dev.vlflow.kv.KvCacheConfig;
import dev.vlflow.operators.evict.CacheEviction;
import dev.vlflow.operators.frames.SegmentEmbeddings;
import dev.vlflow.operators.model.EngineSettings;
import dev.vlflow.operators.model.ModelLease;
import dev.vlflow.operators.model.SharedModels;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The video session of one stream (keyed by stream id): encoded segments are prefilled into the stream's KV cache;
 * a question is answered on a fork of it, its tokens emitted as they are generated, then its {@code Answer}.
 *
 * <pre>
 * segment  -> check order -> prefill -> apply budget -> write changed KV pages + metadata -> answer waiting questions
 * question -> over a limit? dead letter | unknown stream? dead letter | segment not there yet? wait | else answer
 * </pre>
 * Input limits ({@link InputSpec}): a question asking for more than {@code max-answer-tokens}, a question beyond
 * {@code max-pending-questions} waiting in its stream, and a segment that would take the stream past
 * {@code max-stream-tokens} positions (or the model's {@code max_position_embeddings}) go to the dead letters
 * ({@code OVER_LIMIT}); an answer stops where the model's positions end.
 * Answers are not generated here: a question is prefilled and handed to the operator's {@link AnswerScheduler}, which
 * decodes the answers of all streams of the slot together, a step per mailbox turn ({@link VideoSessionOperator}).
 * A question naming {@code afterSegment} N is answered on the stream as of segment N: it waits until N is handled,
 * and when later segments are already in the cache it is answered on a fork truncated to N, so its answer does not
 * depend on how fast questions and segments travel; when the input ends before N it goes to the dead letters. A stream with no event for {@code idle-ttl} is dropped with all its state. Bad inputs go to
 * {@link DeadLetters#TAG}; the job goes on.
 *
 * <p>The cache is float32 ({@code fp32}: {@link KvPages}) or quantized in the spec's precision, and then kept in
 * state in that precision ({@link PagedKvState}). A stream restored from state goes on in the layout and
 * precision it was stored in.
 */
public final class VideoSessionFunction extends KeyedCoProcessFunction<String, SegmentEmbeddings, Question, AnswerEvent>
        implements AnswerScheduler.Starter {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(VideoSessionFunction.class);

    private final ModelSpec modelSpec;
    private final KvSpec kv;
    private final DecodingSpec decoding;
    private final StateSpec stateSpec;
    private final InputSpec input;
    private final String stage;

    private transient ModelLease lease;
    private transient SessionStore store;
    private transient LiveSessions live;
    private transient Optional<KvCacheConfig> cacheConfig;
    private transient AnswerScheduler scheduler;
    private transient SessionMetrics metrics;

    /** @param stage hierarchical operator name reported in dead letters, e.g. {@code /job/session} */
    public VideoSessionFunction(ModelSpec model, KvSpec kv, DecodingSpec decoding, StateSpec state, InputSpec input,
                                String stage) {
        this.modelSpec = model;
        this.kv = kv;
        this.decoding = decoding;
        this.stateSpec = state;
        this.input = input;
        this.stage = stage;
        EngineSettings.cacheConfig(kv); // an unknown precision fails when the job is built
    }

    @Override
    public void open(OpenContext context) {
        lease = SharedModels.acquire(modelSpec);
        store = new SessionStore(getRuntimeContext());
        live = new LiveSessions(stateSpec.liveSessions());
        cacheConfig = EngineSettings.cacheConfig(kv);
    }

    /** Called by the operator after {@link #open}: where answers go, and the metrics. */
    void attach(AnswerScheduler answers, SessionMetrics sessionMetrics) {
        this.scheduler = answers;
        this.metrics = sessionMetrics;
    }

    /** Mean KV bytes of the sessions held in memory. */
    long meanKvBytes() {
        return live == null ? 0 : live.meanKvBytes();
    }

    @Override
    public void close() {
        if (lease != null) {
            lease.close();
        }
    }

    @Override
    public void processElement1(SegmentEmbeddings segment, Context ctx, Collector<AnswerEvent> out) throws Exception {
        String streamId = ctx.getCurrentKey();
        touch(ctx);
        Optional<SessionMetadata> before = store.metadata();
        if (before.isPresent() && segment.sequence() <= before.get().lastSequence()) {
            deadLetter(ctx, ErrorKind.OUT_OF_ORDER, streamId, "segment " + segment.sequence()
                    + " arrived after segment " + before.get().lastSequence(), streamId + "#" + segment.sequence());
            return;
        }
        SessionMetadata after;
        long start = System.nanoTime();
        try {
            after = prefill(streamId, segment, before);
            metrics.prefilled(after.nextPosition() - before.map(SessionMetadata::nextPosition).orElse(0),
                    after.keptRatio());
            LOG.info("[{}] segment {}: {} frames prefilled in {} ms; cache {} tokens of {} seen{}", streamId,
                    segment.sequence(), segment.frames(), (System.nanoTime() - start) / 1_000_000,
                    after.cachedTokens(), after.nextPosition(),
                    after.evictedTokens() > 0 ? " (" + after.evictedTokens() + " evicted)" : "");
        } catch (ContextFullException e) {
            metrics.deadLetters(1);
            deadLetter(ctx, ErrorKind.OVER_LIMIT, streamId, "segment not prefilled: " + e.getMessage(),
                    streamId + "#" + segment.sequence());
            after = before.map(m -> new SessionMetadata(segment.sequence(), m.segments() + 1, m.frames(),
                            m.nextPosition(), m.cachedTokens(), m.evictedTokens(), m.pageTokens()))
                    .orElse(new SessionMetadata(segment.sequence(), 1, 0, 0, 0, 0, kv.pageTokens()));
        } catch (RuntimeException e) {
            live.remove(streamId); // its cache may be half-appended; state is untouched
            deadLetter(ctx, ErrorKind.INTERNAL, streamId, "prefill failed: " + e.getMessage(),
                    streamId + "#" + segment.sequence());
            after = before.map(m -> new SessionMetadata(segment.sequence(), m.segments() + 1, m.frames(),
                            m.nextPosition(), m.cachedTokens(), m.evictedTokens(), m.pageTokens()))
                    .orElse(new SessionMetadata(segment.sequence(), 1, 0, 0, 0, 0, kv.pageTokens()));
        }
        store.setMetadata(after);
        store.addMark(after, after.evictedTokens() > before.map(SessionMetadata::evictedTokens).orElse(0L),
                stateSpec.segmentMarks());
        for (Question q : store.takeReady(after.lastSequence())) {
            answer(q, after, ctx, out);
        }
    }

    /** Prefills a segment, applies the budget, writes the changed pages; returns the new metadata. */
    private SessionMetadata prefill(String streamId, SegmentEmbeddings segment, Optional<SessionMetadata> before)
            throws Exception {
        VlModel model = lease.model();
        VlSession session = before.isPresent() ? session(streamId, before.get())
                : model.resumeSession(newCache(), new SessionState(0, 0));
        int pageTokens = before.map(SessionMetadata::pageTokens).orElse(kv.pageTokens());
        int storedTokens = before.map(SessionMetadata::cachedTokens).orElse(0);
        long evicted = before.map(SessionMetadata::evictedTokens).orElse(0L);
        if (segment.frames() > 0) {
            FrameEmbeddings frames = new FrameEmbeddings(segment.rows(), segment.frames(), segment.tokensPerFrame(),
                    segment.hidden());
            long positions = (long) session.contextTokens() + session.positionsFor(frames);
            if (positions > input.maxStreamTokens()) {
                throw new ContextFullException("the stream would use " + positions + " token positions, over the "
                        + "limit of " + input.maxStreamTokens() + " (vlflow.input.max-stream-tokens)");
            }
            // the batch steps between prefill chunks, so a long segment does not stall other streams' answers
            session.appendFrames(frames, scheduler::stepBetweenChunks);
        }
        KvCache cache = session.cache();
        OptionalInt eviction = CacheEviction.apply(cache, kv.budget()); // in place
        evicted += eviction.orElse(0);
        store.writeCache(cache, eviction.isPresent() ? 0 : storedTokens, storedTokens, pageTokens);
        int cachedTokens = cache.size(0);
        live.put(streamId, session);
        SessionState state = session.state();
        return new SessionMetadata(segment.sequence(), before.map(SessionMetadata::segments).orElse(0L) + 1,
                state.frames(), state.contextTokens(), cachedTokens, evicted, pageTokens);
    }

    @Override
    public void processElement2(Question question, Context ctx, Collector<AnswerEvent> out) throws Exception {
        String streamId = ctx.getCurrentKey();
        Integer asked = question.getMaxNewTokens();
        if (asked != null && asked > input.maxAnswerTokens()) {
            deadLetter(ctx, ErrorKind.OVER_LIMIT, streamId, "max_tokens " + asked + " is over the limit of "
                    + input.maxAnswerTokens() + " (vlflow.input.max-answer-tokens)", question.getQuestionId());
            return;
        }
        Optional<SessionMetadata> meta = store.metadata();
        Long after = question.getAfterSegment();
        if (meta.isEmpty() && after == null) {
            deadLetter(ctx, ErrorKind.UNKNOWN_STREAM, streamId, "no segment of stream '" + streamId
                    + "' has been seen (set 'after' to wait for one)", question.getQuestionId());
            return;
        }
        touch(ctx);
        if (meta.isPresent() && (after == null || after <= meta.get().lastSequence())) {
            answer(question, meta.get(), ctx, out);
        } else if (store.pendingCount() >= input.maxPendingQuestions()) {
            deadLetter(ctx, ErrorKind.OVER_LIMIT, streamId, "stream '" + streamId + "' already has "
                    + input.maxPendingQuestions() + " questions waiting for later segments "
                    + "(vlflow.input.max-pending-questions)", question.getQuestionId());
        } else {
            store.addPending(question);
            // Fires when the input ends (the final watermark) with the question still waiting.
            ctx.timerService().registerEventTimeTimer(Long.MAX_VALUE);
        }
    }

    /**
     * Queues a question for the batch, recorded in the stream's state with the segment it is answered on (so that a
     * restore answers it on the same tokens), or dead-letters it when the queue is full.
     */
    private void answer(Question q, SessionMetadata meta, Context ctx, Collector<AnswerEvent> out) throws Exception {
        Question resolved = Question.newBuilder(q).setAfterSegment(q.getAfterSegment() == null ? meta.lastSequence()
                : Math.min(q.getAfterSegment(), meta.lastSequence())).build();
        if (!scheduler.offer(new AnswerScheduler.Waiting(resolved, 0))) {
            metrics.deadLetters(1);
            deadLetter(ctx, ErrorKind.OVERLOADED, q.getStreamId(), scheduler.queued() + " questions are waiting "
                    + "for a place in the batch (vlflow.serving.max-queued)", q.getQuestionId());
            return;
        }
        store.answering(resolved);
    }

    /** The answers of this stream in flight at the last checkpoint, to be queued again after a restore. */
    List<SessionStore.InFlight> inFlight() throws Exception {
        return store.inFlight();
    }

    /** Records the tokens an answer emitted so far (at a checkpoint; current key = its stream). */
    void emitted(String questionId, int tokens) throws Exception {
        store.emitted(questionId, tokens);
    }

    @Override
    public int tokenLimit(Question q) {
        return EngineSettings.generation(decoding, q).maxNewTokens();
    }

    @Override
    public void answered(String questionId) throws Exception {
        store.answered(questionId);
    }

    /**
     * Prefills a question on the stream as of its segment (its {@code afterSegment}): when later segments are
     * already prefilled, on a fork of the cache truncated to that segment (positions are causal, so this is exactly
     * the cache the segment left), as long as its mark is remembered and no eviction happened since; otherwise on
     * the whole stream. The answer's {@code segments} says which.
     */
    @Override
    public Optional<AnswerScheduler.Started> start(Question q, TokenListener listener) throws Exception {
        String streamId = q.getStreamId();
        Optional<SessionMetadata> current = store.metadata();
        if (current.isEmpty()) {
            deadLetter(streamId, ErrorKind.UNANSWERED, "stream '" + streamId + "' was dropped before the question "
                    + "was answered", q.getQuestionId());
            return Optional.empty();
        }
        SessionMetadata meta = current.get();
        VlSession session = session(streamId, meta);
        SessionMetadata asOf = meta;
        Long after = q.getAfterSegment();
        if (after != null && after < meta.lastSequence()) {
            Optional<SessionMetadata> mark = store.markAtOrBefore(after);
            if (mark.isPresent() && mark.get().evictedTokens() == meta.evictedTokens()) {
                asOf = mark.get();
                KvCache view = session.cache().asOf(asOf.nextPosition());
                session = lease.model().resumeSession(view, new SessionState(asOf.nextPosition(), asOf.frames()));
            }
        }
        SessionMetadata answeredOn = asOf;
        Generation g;
        try {
            g = session.start(EngineSettings.prompt(q), EngineSettings.generation(decoding, q), listener);
        } catch (ContextFullException e) {
            deadLetter(streamId, ErrorKind.OVER_LIMIT, "question not answered: " + e.getMessage(),
                    q.getQuestionId());
            return Optional.empty();
        }
        return Optional.of(new AnswerScheduler.Started(g, a -> AnswerEvents.answer(q, a, answeredOn)));
    }

    /** The stream's session: the live one, or rebuilt from its pages. */
    private VlSession session(String streamId, SessionMetadata meta) throws Exception {
        Optional<VlSession> cached = live.get(streamId);
        if (cached.isPresent() && cached.get().state().contextTokens() == meta.nextPosition()) {
            return cached.get();
        }
        VlModel model = lease.model();
        KvCache cache;
        if (store.pagedKv().present()) {
            cache = store.pagedKv().read(model.cacheShape());
        } else if (meta.cachedTokens() == 0) {
            cache = newCache(); // nothing stored yet (the first segments failed)
        } else {
            cache = store.pages().read(model.cacheShape(), meta.cachedTokens(), meta.pageTokens());
        }
        if (cache.size(0) != meta.cachedTokens()) {
            throw new IllegalStateException("stored cache holds " + cache.size(0) + " tokens, metadata says "
                    + meta.cachedTokens());
        }
        VlSession session = model.resumeSession(cache, new SessionState(meta.nextPosition(), meta.frames()));
        live.put(streamId, session);
        return session;
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<AnswerEvent> out) throws Exception {
        String streamId = ctx.getCurrentKey();
        if (ctx.timeDomain() == TimeDomain.EVENT_TIME) {
            for (Question q : store.takeAllPending()) {
                deadLetter(ctx, ErrorKind.UNANSWERED, streamId, "the input ended before segment "
                        + q.getAfterSegment() + " of stream '" + streamId + "'", q.getQuestionId());
            }
            return;
        }
        Optional<Long> deadline = store.deadline();
        if (deadline.isPresent() && deadline.get() == timestamp) {
            for (Question q : store.takeAllPending()) {
                deadLetter(ctx, ErrorKind.UNANSWERED, streamId, "stream '" + streamId + "' was idle for "
                        + stateSpec.idleTtl() + " and was dropped", q.getQuestionId());
            }
            store.clear();
            live.remove(streamId);
        }
    }

    /** Moves the stream's idle deadline to now + TTL. */
    private void touch(Context ctx) throws Exception {
        long now = ctx.timerService().currentProcessingTime();
        long next = now + stateSpec.idleTtl().toMillis();
        Optional<Long> previous = store.deadline();
        if (previous.isPresent()) {
            ctx.timerService().deleteProcessingTimeTimer(previous.get());
        }
        ctx.timerService().registerProcessingTimeTimer(next);
        store.setDeadline(next);
    }

    private void deadLetter(Context ctx, ErrorKind kind, String streamId, String reason, String input) {
        ctx.output(DeadLetters.TAG, DeadLetters.error(kind, stage, Optional.of(streamId), reason, input));
    }

    /** A dead letter outside a record's context (a batch step); the operator's side output. */
    private void deadLetter(String streamId, ErrorKind kind, String reason, String input) {
        scheduler.deadLetter(streamId, kind, reason, input);
    }

    /** An empty cache of the spec's precision. */
    private KvCache newCache() {
        var shape = lease.model().cacheShape();
        return cacheConfig.map(KvCacheFactory::of).orElseGet(KvCacheFactory::floats).create(shape);
    }

}

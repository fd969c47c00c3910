package dev.vlflow.operators.session;

import dev.vlflow.connectors.events.EventTypes;
import dev.vlflow.connectors.events.Question;
import dev.vlflow.kv.KvCache;
import dev.vlflow.kv.PagedKvCache;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeutils.base.LongSerializer;
import org.apache.flink.api.common.typeutils.base.array.BytePrimitiveArraySerializer;

/**
 * The keyed state of one video session, for the current key:
 * <pre>
 * kv-pages           MapState&lt;Long, byte[]&gt;   float cache: (layer &lt;&lt; 32 | page) -> KvPageCodec bytes;
 *                                               quantized cache (negative keys, PagedKvState): per layer a
 *                                               tail, quantized page blobs and fp32 row blobs
 * session            ValueState&lt;SessionMetadata&gt; versioned record (SessionMetadataSerializer)
 * segment-marks      MapState&lt;Long, SessionMetadata&gt; sequence -> the session as of that segment (recent ones)
 * pending-questions  ListState&lt;Question&gt;        Avro; questions waiting for a later segment
 * idle-deadline      ValueState&lt;Long&gt;           processing time at which the stream expires
 * answers-in-flight  MapState&lt;String, Question&gt; question id -> the question being answered (or queued for the
 *                                               batch), its afterSegment set to the segment it is answered on
 * answers-emitted    MapState&lt;String, Integer&gt;  question id -> its tokens emitted before the last checkpoint
 * </pre>
 * No state uses Flink's per-entry TTL: entries of one stream written at different times would expire at different
 * times and leave a partial cache; idle streams are dropped whole by a timer instead.
 */
public final class SessionStore {

    static final MapStateDescriptor<Long, byte[]> PAGES = new MapStateDescriptor<>("kv-pages", LongSerializer.INSTANCE,
            BytePrimitiveArraySerializer.INSTANCE);
    static final ValueStateDescriptor<SessionMetadata> METADATA =
            new ValueStateDescriptor<>("session", SessionMetadataSerializer.INSTANCE);
    static final MapStateDescriptor<Long, SessionMetadata> MARKS = new MapStateDescriptor<>("segment-marks",
            LongSerializer.INSTANCE, SessionMetadataSerializer.INSTANCE);
    static final ListStateDescriptor<Question> PENDING =
            new ListStateDescriptor<>("pending-questions", EventTypes.QUESTION);
    static final ValueStateDescriptor<Long> DEADLINE = new ValueStateDescriptor<>("idle-deadline",
            LongSerializer.INSTANCE);

    static final String IN_FLIGHT_NAME = "answers-in-flight";
    static final MapStateDescriptor<String, Question> IN_FLIGHT = new MapStateDescriptor<>(IN_FLIGHT_NAME,
            org.apache.flink.api.common.typeinfo.Types.STRING, EventTypes.QUESTION);
    static final MapStateDescriptor<String, Integer> EMITTED = new MapStateDescriptor<>("answers-emitted",
            org.apache.flink.api.common.typeinfo.Types.STRING, org.apache.flink.api.common.typeinfo.Types.INT);

    private final KvPages pages;
    private final PagedKvState pagedKv;
    private final ValueState<SessionMetadata> metadata;
    private final MapState<Long, SessionMetadata> marks;
    private final ListState<Question> pending;
    private final ValueState<Long> deadline;
    private final MapState<String, Question> inFlight;
    private final MapState<String, Integer> emitted;

    public SessionStore(RuntimeContext context) {
        MapState<Long, byte[]> kvEntries = context.getMapState(PAGES);
        this.pages = new KvPages(kvEntries);
        this.pagedKv = new PagedKvState(kvEntries);
        this.metadata = context.getState(METADATA);
        this.marks = context.getMapState(MARKS);
        this.pending = context.getListState(PENDING);
        this.deadline = context.getState(DEADLINE);
        this.inFlight = context.getMapState(IN_FLIGHT);
        this.emitted = context.getMapState(EMITTED);
    }

    /** A float cache's pages. */
    public KvPages pages() {
        return pages;
    }

    /** A quantized cache's pages and layer tails (same map state as {@link #pages}). */
    public PagedKvState pagedKv() {
        return pagedKv;
    }

    /**
     * Writes a stream's cache after a segment, in the format its kind is stored in: a quantized paged cache as its
     * own page blobs and layer tails ({@link PagedKvState}, only what changed), a float cache as float pages
     * ({@link KvPages}: from {@code dirtyFrom} on, and the pages beyond a shrunken end removed). The one place that
     * knows the two state formats.
     *
     * @param dirtyFrom      first slot that changed ({@code previousTokens} after an append, 0 after an eviction)
     * @param previousTokens tokens per layer of the stored cache before
     */
    public long writeCache(KvCache cache, int dirtyFrom, int previousTokens, int pageTokens) throws Exception {
        return cache instanceof PagedKvCache paged ? pagedKv.write(paged)
                : pages.write(cache, dirtyFrom, previousTokens, pageTokens);
    }

    /** The session's metadata; empty before its first segment. */
    public Optional<SessionMetadata> metadata() throws Exception {
        return Optional.ofNullable(metadata.value());
    }

    public void setMetadata(SessionMetadata value) throws Exception {
        metadata.update(value);
    }

    /**
     * Remembers the session as of a segment, keeping the {@code keep} most recent marks. Marks from before an
     * eviction are dropped: the tokens they describe are no longer all in the cache.
     */
    public void addMark(SessionMetadata asOf, boolean evicted, int keep) throws Exception {
        if (evicted) {
            marks.clear();
        }
        marks.put(asOf.lastSequence(), asOf);
        List<Long> sequences = new ArrayList<>();
        marks.keys().forEach(sequences::add);
        if (sequences.size() > keep) {
            sequences.sort(null);
            for (Long old : sequences.subList(0, sequences.size() - keep)) {
                marks.remove(old);
            }
        }
    }

    /** The session as of the last segment numbered at most {@code sequence}, if still remembered. */
    public Optional<SessionMetadata> markAtOrBefore(long sequence) throws Exception {
        SessionMetadata best = null;
        for (SessionMetadata m : marks.values()) {
            if (m.lastSequence() <= sequence && (best == null || m.lastSequence() > best.lastSequence())) {
                best = m;
            }
        }
        return Optional.ofNullable(best);
    }

    public void addPending(Question question) throws Exception {
        pending.add(question);
    }

    /** How many questions wait for a later segment. */
    public int pendingCount() throws Exception {
        int n = 0;
        Iterable<Question> all = pending.get();
        if (all != null) {
            for (Question ignored : all) {
                n++;
            }
        }
        return n;
    }

    /** Removes and returns the waiting questions whose segment has been handled, in order of that segment. */
    public List<Question> takeReady(long lastSequence) throws Exception {
        List<Question> ready = new ArrayList<>();
        List<Question> waiting = new ArrayList<>();
        Iterable<Question> all = pending.get();
        if (all == null) {
            return ready;
        }
        for (Question q : all) {
            (q.getAfterSegment() <= lastSequence ? ready : waiting).add(q);
        }
        if (!ready.isEmpty()) {
            pending.update(waiting);
            ready.sort((a, b) -> Long.compare(a.getAfterSegment(), b.getAfterSegment()));
        }
        return ready;
    }

    /** Removes and returns every waiting question. */
    public List<Question> takeAllPending() throws Exception {
        List<Question> all = new ArrayList<>();
        Iterable<Question> stored = pending.get();
        if (stored != null) {
            stored.forEach(all::add);
        }
        pending.clear();
        return all;
    }

    public Optional<Long> deadline() throws Exception {
        return Optional.ofNullable(deadline.value());
    }

    public void setDeadline(long at) throws Exception {
        deadline.update(at);
    }

    /** Records a question being answered (or queued for the batch) until {@link #answered}. */
    public void answering(Question resolved) throws Exception {
        inFlight.put(resolved.getQuestionId(), resolved);
    }

    /** Records how many of an answer's tokens were emitted (at a checkpoint). */
    public void emitted(String questionId, int tokens) throws Exception {
        if (inFlight.contains(questionId)) {
            emitted.put(questionId, tokens);
        }
    }

    public void answered(String questionId) throws Exception {
        inFlight.remove(questionId);
        emitted.remove(questionId);
    }

    /** An answer in flight at the last checkpoint: its question and the tokens already emitted. */
    public record InFlight(Question question, int emitted) {
    }

    /** The answers in flight, in question-id order. */
    public List<InFlight> inFlight() throws Exception {
        List<InFlight> out = new ArrayList<>();
        for (var e : inFlight.entries()) {
            Integer n = emitted.get(e.getKey());
            out.add(new InFlight(e.getValue(), n == null ? 0 : n));
        }
        out.sort(java.util.Comparator.comparing(f -> f.question().getQuestionId()));
        return out;
    }

    /** Drops everything of this stream. */
    public void clear() {
        pages.clear();
        metadata.clear();
        marks.clear();
        pending.clear();
        deadline.clear();
        inFlight.clear();
        emitted.clear();
    }
}

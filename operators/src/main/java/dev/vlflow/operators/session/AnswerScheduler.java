package dev.vlflow.operators.session;

import dev.vlflow.conf.ServingSpec;
import dev.vlflow.connectors.events.AnswerEvent;
import dev.vlflow.connectors.events.ErrorKind;
import dev.vlflow.connectors.events.Question;
import dev.vlflow.engine.Answer;
import dev.vlflow.engine.DecodeBatch;
import dev.vlflow.engine.Generation;
import dev.vlflow.engine.TokenListener;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.util.function.ThrowingRunnable;

/**
 * The answers of every stream of one session operator, decoded together: questions queue, are admitted into the
 * batch while it has room (and their stream's token budget allows), and every {@link #step()} advances all admitted
 * answers by one generation step with one batched pass ({@link DecodeBatch}). The operator runs a step per mailbox
 * turn, so segments, questions and checkpoint barriers are handled between steps.
 *
 * <p>Nothing is lost at a failure: a question is recorded in its stream's keyed state from the moment it is queued
 * until its answer is emitted, with the number of its tokens emitted before each checkpoint ({@link #progress});
 * after a restore it is answered again, deterministically, and its first tokens are not emitted a second time.
 */
final class AnswerScheduler {

    /** What the scheduler needs from its operator. */
    interface Host {
        void emit(AnswerEvent event);

        void deadLetter(String streamId, ErrorKind kind, String reason, String input);

        /** Runs {@code action} with keyed state scoped to {@code streamId}. */
        void inKey(String streamId, ThrowingRunnable<Exception> action) throws Exception;

        /** Asks for {@link #step()} to run at the next mailbox turn. */
        void requestStep();
    }

    /** Starts answers: the session function, within the question's key. */
    interface Starter {
        /** Prefills the question and returns its generation, or empty (having dead-lettered it) when it cannot. */
        Optional<Started> start(Question question, TokenListener listener) throws Exception;

        /** Tokens the question may generate. */
        int tokenLimit(Question question);

        /** Forgets an answered question (keyed state of the current key). */
        void answered(String questionId) throws Exception;
    }

    /** A started answer: its generation and how to turn the engine's answer into the event. */
    record Started(Generation generation, java.util.function.Function<Answer, AnswerEvent> event) {
    }

    /** A question waiting for the batch; {@code skip} tokens were emitted before a restore. */
    record Waiting(Question question, int skip) {
        String streamId() {
            return question.getStreamId();
        }
    }

    private static final class Running {
        final Waiting waiting;
        final long admittedNanos;
        final int limit;
        Generation generation;
        java.util.function.Function<Answer, AnswerEvent> event;
        int emitted; // tokens emitted by this run or skipped as emitted before a restore

        Running(Waiting waiting, long admittedNanos, int limit) {
            this.waiting = waiting;
            this.admittedNanos = admittedNanos;
            this.limit = limit;
        }

        int remaining() {
            return generation == null ? limit : limit - generation.tokenCount();
        }
    }

    private final ServingSpec serving;
    private final Host host;
    private final Starter starter;
    private final SessionMetrics metrics;
    private final DecodeBatch batch;
    private final ArrayDeque<Waiting> queue = new ArrayDeque<>();
    private final List<Running> running = new ArrayList<>();

    AnswerScheduler(ServingSpec serving, Host host, Starter starter, SessionMetrics metrics) {
        this.serving = serving;
        this.host = host;
        this.starter = starter;
        this.metrics = metrics;
        this.batch = new DecodeBatch(Math.max(serving.maxBatch(), 1) * 16);
    }

    /**
     * Queues a question (its stream's state already records it). Returns false, leaving nothing queued, when the
     * queue is full.
     */
    boolean offer(Waiting w) {
        if (queue.size() >= serving.maxQueued() + Math.max(0, serving.maxBatch() - running.size())) {
            return false;
        }
        queue.add(w);
        host.requestStep();
        return true;
    }

    /**
     * Queues an answer that was in flight at the checkpoint this operator was restored from, whatever the queue holds:
     * it was accepted before the failure (a smaller {@code max-queued} after a restart must not drop it).
     */
    void restore(Waiting w) {
        queue.add(w);
        host.requestStep();
    }

    boolean busy() {
        return !queue.isEmpty() || !running.isEmpty();
    }

    int queued() {
        return queue.size();
    }

    int inBatch() {
        return running.size();
    }

    /** Tokens emitted so far by each answer in flight, by stream and question id (for checkpoints). */
    Map<String, Map<String, Integer>> progress() {
        Map<String, Map<String, Integer>> out = new LinkedHashMap<>();
        for (Running r : running) {
            out.computeIfAbsent(r.waiting.streamId(), s -> new LinkedHashMap<>())
                    .put(r.waiting.question().getQuestionId(), r.emitted);
        }
        return out;
    }

    void deadLetter(String streamId, ErrorKind kind, String reason, String input) {
        host.deadLetter(streamId, kind, reason, input);
    }

    /** Admits what fits, cuts late answers, runs one batched step, emits finished answers. */
    void step() throws Exception {
        step(true);
    }

    /**
     * A step of the answers already in the batch, between two chunks of a segment's prefill (no admission: a
     * question of the stream being prefilled must wait for the whole segment).
     */
    void stepBetweenChunks() {
        if (running.isEmpty()) {
            return;
        }
        try {
            step(false);
        } catch (Exception e) {
            throw new IllegalStateException("a batch step between prefill chunks failed", e);
        }
    }

    private void step(boolean admitting) throws Exception {
        if (admitting) {
            admit();
        }
        long now = System.nanoTime();
        if (serving.cutsLateAnswers()) {
            for (Running r : running) {
                if (!r.generation.finished() && now - r.admittedNanos > serving.maxAnswerLatency().toNanos()) {
                    r.generation.cut(Answer.StopReason.DEADLINE);
                }
            }
        }
        List<Generation> active = new ArrayList<>();
        for (Running r : running) {
            if (!r.generation.finished()) {
                active.add(r.generation);
            }
        }
        if (!active.isEmpty()) {
            try {
                DecodeBatch.Step s = batch.step(active);
                metrics.step(s.answers(), s.rows());
            } catch (RuntimeException e) {
                failAll(e);
                return;
            }
        }
        for (Iterator<Running> it = running.iterator(); it.hasNext(); ) {
            Running r = it.next();
            if (r.generation.finished()) {
                it.remove();
                finish(r);
            }
        }
        if (busy()) {
            host.requestStep();
        }
    }

    private void finish(Running r) throws Exception {
        Answer a = r.generation.answer();
        host.emit(r.event.apply(a));
        metrics.answered(a);
        String id = r.waiting.question().getQuestionId();
        host.inKey(r.waiting.streamId(), () -> starter.answered(id));
    }

    /** A failed batch pass: every answer in it goes to the dead letters (the job goes on). */
    private void failAll(RuntimeException e) throws Exception {
        for (Running r : running) {
            Question q = r.waiting.question();
            host.deadLetter(q.getStreamId(), ErrorKind.INTERNAL, "answering failed: " + e.getMessage(),
                    q.getQuestionId());
            host.inKey(q.getStreamId(), () -> starter.answered(q.getQuestionId()));
        }
        metrics.deadLetters(running.size());
        running.clear();
    }

    /** Admits queued questions in order while the batch has room; a stream over its token budget waits. */
    private void admit() throws Exception {
        Map<String, Integer> budget = new HashMap<>();
        for (Running r : running) {
            budget.merge(r.waiting.streamId(), r.remaining(), Integer::sum);
        }
        for (Iterator<Waiting> it = queue.iterator(); it.hasNext() && running.size() < serving.maxBatch(); ) {
            Waiting w = it.next();
            int limit = starter.tokenLimit(w.question());
            Integer used = budget.get(w.streamId());
            if (used != null && used + limit > serving.streamTokenBudget()) {
                continue; // fairness: other streams' questions go first
            }
            it.remove();
            Running r = new Running(w, System.nanoTime(), limit);
            Optional<Started> started;
            try {
                started = startIn(w, r);
            } catch (RuntimeException e) {
                host.deadLetter(w.streamId(), ErrorKind.INTERNAL, "answering failed: " + e.getMessage(),
                        w.question().getQuestionId());
                metrics.deadLetters(1);
                host.inKey(w.streamId(), () -> starter.answered(w.question().getQuestionId()));
                continue;
            }
            if (started.isPresent()) {
                r.generation = started.get().generation();
                r.event = started.get().event();
                running.add(r);
                budget.merge(w.streamId(), limit, Integer::sum);
            } else {
                metrics.deadLetters(1);
                host.inKey(w.streamId(), () -> starter.answered(w.question().getQuestionId()));
            }
        }
    }

    private Optional<Started> startIn(Waiting w, Running r) throws Exception {
        Question q = w.question();
        TokenListener listener = (index, tokenId, text) -> {
            if (index >= w.skip()) {
                host.emit(AnswerEvents.token(q, index, tokenId, text));
            }
            r.emitted = Math.max(r.emitted, index + 1);
            metrics.token();
        };
        Optional<Started>[] out = new Optional[] {Optional.empty()};
        host.inKey(w.streamId(), () -> out[0] = starter.start(q, listener));
        if (w.skip() > 0) {
            r.emitted = w.skip();
        }
        return out[0];
    }
}

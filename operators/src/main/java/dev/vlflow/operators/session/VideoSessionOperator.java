package dev.vlflow.operators.session;

import dev.vlflow.conf.ServingSpec;
import dev.vlflow.connectors.events.AnswerEvent;
import dev.vlflow.connectors.events.DeadLetters;
import dev.vlflow.connectors.events.ErrorKind;
import dev.vlflow.connectors.events.Question;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.api.common.operators.MailboxExecutor;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.function.ThrowingRunnable;

/**
 * The video session operator: {@link VideoSessionFunction} for segments, questions and timers, and an
 * {@link AnswerScheduler} that decodes the answers of every stream of the slot together, one batched step per
 * mailbox turn. Between two steps the task handles input records and checkpoint barriers, so a checkpoint never
 * waits for an answer to finish: at a snapshot each answer in flight records, in its stream's keyed state, how many
 * tokens it has emitted; after a restore those answers are generated again on the same tokens and only their
 * remaining tokens are emitted. At the end of the input the operator finishes every answer before it finishes.
 */
public final class VideoSessionOperator
        extends KeyedCoProcessOperator<String, dev.vlflow.operators.frames.SegmentEmbeddings, Question, AnswerEvent>
        implements AnswerScheduler.Host {

    private static final long serialVersionUID = 1L;

    private final VideoSessionFunction function;
    private final ServingSpec serving;
    private final String stage;

    private transient MailboxExecutor mailbox;
    private transient AnswerScheduler scheduler;
    private transient boolean stepRequested;

    public VideoSessionOperator(VideoSessionFunction function, ServingSpec serving, String stage) {
        super(function);
        this.function = function;
        this.serving = serving;
        this.stage = stage;
    }

    @Override
    public void open() throws Exception {
        super.open();
        mailbox = getContainingTask().getMailboxExecutorFactory().createExecutor(getOperatorConfig().getChainIndex());
        SessionMetrics metrics = new SessionMetrics(getMetricGroup(), () -> scheduler.queued(),
                () -> scheduler.inBatch(), function::meanKvBytes);
        scheduler = new AnswerScheduler(serving, this, function, metrics);
        function.attach(scheduler, metrics);
        // answers in flight at the checkpoint this task was restored from: queued again, their emitted tokens skipped
        List<String> streams;
        try (var keys = getKeyedStateBackend().<VoidNamespace>getKeys(SessionStore.IN_FLIGHT_NAME,
                VoidNamespace.INSTANCE)) {
            streams = keys.map(Object::toString).toList();
        }
        for (String stream : streams) {
            setCurrentKey(stream);
            for (SessionStore.InFlight f : function.inFlight()) {
                scheduler.restore(new AnswerScheduler.Waiting(f.question(), f.emitted()));
            }
        }
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        for (Map.Entry<String, Map<String, Integer>> stream : scheduler.progress().entrySet()) {
            inKey(stream.getKey(), () -> {
                for (Map.Entry<String, Integer> answer : stream.getValue().entrySet()) {
                    function.emitted(answer.getKey(), answer.getValue());
                }
            });
        }
        super.snapshotState(context);
    }

    @Override
    public void finish() throws Exception {
        while (scheduler.busy()) {
            scheduler.step();
        }
        super.finish();
    }

    @Override
    public void emit(AnswerEvent event) {
        output.collect(new StreamRecord<>(event));
    }

    @Override
    public void deadLetter(String streamId, ErrorKind kind, String reason, String input) {
        output.collect(DeadLetters.TAG, new StreamRecord<>(DeadLetters.error(kind, stage, Optional.of(streamId),
                reason, input)));
    }

    @Override
    public void inKey(String streamId, ThrowingRunnable<Exception> action) throws Exception {
        Object previous = getCurrentKey();
        setCurrentKey(streamId);
        try {
            action.run();
        } finally {
            if (previous != null) {
                setCurrentKey(previous);
            }
        }
    }

    @Override
    public void requestStep() {
        if (stepRequested) {
            return;
        }
        stepRequested = true;
        mailbox.execute(() -> {
            stepRequested = false;
            scheduler.step();
        }, "vlflow decode step");
    }
}

package dev.vlflow.operators.session;

import dev.vlflow.connectors.events.AnswerEvent;
import dev.vlflow.connectors.events.Question;
import dev.vlflow.operators.frames.SegmentEmbeddings;
import java.util.Optional;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.tasks.mailbox.Mail;
import org.apache.flink.streaming.runtime.tasks.mailbox.TaskMailbox;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;

/**
 * The session operator in Flink's keyed test harness. The harness has no mailbox loop, so answers (decoded a batched
 * step per mail) advance only when a test runs mails: {@link #step()} runs one turn of the mailbox, {@link #drain()}
 * every mail until none is left. With {@code draining}, every input call drains afterwards, as a task whose input is
 * idle would.
 */
final class SessionHarness extends KeyedTwoInputStreamOperatorTestHarness<String, SegmentEmbeddings, Question,
        AnswerEvent> {

    private final boolean draining;

    SessionHarness(VideoSessionOperator operator, boolean draining) throws Exception {
        super(operator, SegmentEmbeddings::streamId, Question::getStreamId, Types.STRING);
        this.draining = draining;
    }

    /** Runs the mails present now (one batched decode step); returns how many ran. */
    int step() throws Exception {
        int n = 0;
        TaskMailbox mailbox = getTaskMailbox();
        int present = mailbox.size();
        for (; n < present; n++) {
            Optional<Mail> mail = mailbox.tryTake(TaskMailbox.MIN_PRIORITY);
            if (mail.isEmpty()) {
                break;
            }
            mail.get().run();
        }
        return n;
    }

    /** Runs mails until none is left: every queued answer is finished. */
    void drain() throws Exception {
        while (step() > 0) {
            // each step may ask for the next
        }
    }

    @Override
    public void processElement1(StreamRecord<SegmentEmbeddings> element) throws Exception {
        super.processElement1(element);
        afterInput();
    }

    @Override
    public void processElement2(StreamRecord<Question> element) throws Exception {
        super.processElement2(element);
        afterInput();
    }

    @Override
    public void processBothWatermarks(Watermark mark) throws Exception {
        super.processBothWatermarks(mark);
        afterInput();
    }

    @Override
    public void setProcessingTime(long time) throws Exception {
        super.setProcessingTime(time);
        afterInput();
    }

    private void afterInput() throws Exception {
        if (draining) {
            drain();
        }
    }
}

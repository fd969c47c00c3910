package dev.vlflow.operators.session;

import dev.vlflow.engine.Answer;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MeterView;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;

/**
 * The session operator's metrics, in its metric group under {@code vlflow} (Flink's REST API and web UI show them;
 * {@code vlflow stream --metrics} prints them):
 * <pre>
 * tokens, tokensPerSecond                 generated tokens (counter, per-second rate over 60 s)
 * prefillTokens, prefillTokensPerSecond   tokens prefilled for segments
 * timeToFirstTokenMs                      histogram over the last 1000 answers
 * answers, deadLetters                    counters
 * batchAnswers, batchRows                 answers and rows of the last batched step
 * queuedQuestions, answersInFlight        questions waiting for the batch, answers in it
 * kvBytesPerStream                        mean KV bytes of the sessions held in memory
 * keptRatio                               share of seen tokens the last answered stream's cache kept
 * draftAcceptance                         accepted / drafted speculative tokens so far (0 without drafting)
 * </pre>
 */
final class SessionMetrics {

    static final String GROUP = "vlflow";

    private final Counter tokens;
    private final Counter prefillTokens;
    private final Counter answers;
    private final Counter deadLetters;
    private final Histogram ttft;
    private volatile int batchAnswers;
    private volatile int batchRows;
    private volatile double keptRatio = 1;
    private long drafted;
    private long accepted;

    SessionMetrics(MetricGroup parent, IntSupplier queued, IntSupplier inFlight, LongSupplier kvBytesPerStream) {
        MetricGroup g = parent.addGroup(GROUP);
        tokens = g.counter("tokens");
        g.meter("tokensPerSecond", new MeterView(tokens));
        prefillTokens = g.counter("prefillTokens");
        g.meter("prefillTokensPerSecond", new MeterView(prefillTokens));
        answers = g.counter("answers");
        deadLetters = g.counter("deadLetters");
        ttft = g.histogram("timeToFirstTokenMs", new DescriptiveStatisticsHistogram(1000));
        g.gauge("batchAnswers", (Gauge<Integer>) () -> batchAnswers);
        g.gauge("batchRows", (Gauge<Integer>) () -> batchRows);
        g.gauge("queuedQuestions", (Gauge<Integer>) queued::getAsInt);
        g.gauge("answersInFlight", (Gauge<Integer>) inFlight::getAsInt);
        g.gauge("kvBytesPerStream", (Gauge<Long>) kvBytesPerStream::getAsLong);
        g.gauge("keptRatio", (Gauge<Double>) () -> keptRatio);
        g.gauge("draftAcceptance", (Gauge<Double>) () -> drafted == 0 ? 0.0 : (double) accepted / drafted);
    }

    void token() {
        tokens.inc();
    }

    void prefilled(int n, double keptRatio) {
        prefillTokens.inc(n);
        this.keptRatio = keptRatio;
    }

    void step(int answersInStep, int rows) {
        batchAnswers = answersInStep;
        batchRows = rows;
    }

    void answered(Answer a) {
        answers.inc();
        ttft.update(a.timeToFirstTokenNanos() / 1_000_000);
        drafted += a.speculation().drafted();
        accepted += a.speculation().accepted();
    }

    void deadLetters(int n) {
        deadLetters.inc(n);
    }
}

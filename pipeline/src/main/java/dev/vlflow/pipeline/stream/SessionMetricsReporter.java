package dev.vlflow.pipeline.stream;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.Meter;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;
import org.apache.flink.metrics.reporter.Scheduled;

/**
 * A Flink metric reporter that prints the session operators' {@code vlflow} metrics, one line per subtask, at the
 * reporter's interval and once more when the cluster stops. {@code vlflow stream --metrics} and {@code bench streams}
 * install it; on a cluster, name it in the Flink configuration:
 * {@code metrics.reporter.vlflow.factory.class: dev.vlflow.pipeline.stream.SessionMetricsReporter$Factory}. The same
 * metrics are in Flink's REST API and web UI under the operator ({@code vlflow.tokensPerSecond}, ...).
 */
public final class SessionMetricsReporter implements MetricReporter, Scheduled {

    /** The reporter's name in the configuration ({@code metrics.reporter.<name>.*}). */
    public static final String NAME = "vlflow";
    private static final String GROUP = ".vlflow.";

    /** Reporters of this JVM still open (an embedded cluster closes its reporters after the job has returned). */
    private static final java.util.Set<SessionMetricsReporter> OPEN = ConcurrentHashMap.newKeySet();

    private final Map<String, Map<String, Metric>> subtasks = new ConcurrentHashMap<>();
    private final PrintStream out = System.err;

    /** Flink's factory, found through {@code META-INF/services}. */
    public static final class Factory implements MetricReporterFactory {
        @Override
        public MetricReporter createMetricReporter(Properties properties) {
            return new SessionMetricsReporter();
        }
    }

    /** The configuration entries that install this reporter, printing every {@code interval}. */
    public static Map<String, String> configuration(java.time.Duration interval) {
        return Map.of("metrics.reporter." + NAME + ".factory.class", Factory.class.getName(),
                "metrics.reporter." + NAME + ".interval", interval.toMillis() + " ms");
    }

    @Override
    public void open(MetricConfig config) {
        OPEN.add(this);
    }

    @Override
    public void close() {
        report();
        synchronized (OPEN) {
            OPEN.remove(this);
            OPEN.notifyAll();
        }
    }

    /**
     * Waits until every reporter of this JVM has printed its final report (an embedded MiniCluster shuts down, and
     * closes its reporters, asynchronously after the job's result is returned), at most {@code timeout}.
     */
    public static void awaitClosed(java.time.Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (OPEN) {
            while (!OPEN.isEmpty()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                OPEN.wait(Math.max(1, left / 1_000_000));
            }
        }
    }

    @Override
    public void notifyOfAddedMetric(Metric metric, String name, MetricGroup group) {
        String id = group.getMetricIdentifier(name);
        int at = id.lastIndexOf(GROUP);
        if (at < 0) {
            return;
        }
        String subtask = group.getAllVariables().getOrDefault("<operator_name>", "session") + " "
                + group.getAllVariables().getOrDefault("<subtask_index>", "0");
        subtasks.computeIfAbsent(subtask, s -> new ConcurrentHashMap<>()).put(id.substring(at + GROUP.length()),
                metric);
    }

    @Override
    public void notifyOfRemovedMetric(Metric metric, String name, MetricGroup group) {
        // kept: the final report after the job ends still shows the last values
    }

    @Override
    public void report() {
        List<String> lines = new ArrayList<>();
        for (Map.Entry<String, Map<String, Metric>> e : new TreeMap<>(subtasks).entrySet()) {
            lines.add(line(e.getKey(), e.getValue()));
        }
        lines.forEach(out::println);
    }

    static String line(String subtask, Map<String, Metric> m) {
        Histogram ttft = m.get("timeToFirstTokenMs") instanceof Histogram h ? h : null;
        return String.format(Locale.ROOT, "metrics %s: answers %d, tokens %d (%.1f/s), prefill %d tokens (%.1f/s), "
                        + "first token p50 %.0f ms p99 %.0f ms, batch %s answers/%s rows, queued %s, in flight %s, "
                        + "KV %.2f MiB/stream, kept %.2f, drafts accepted %.0f%%, dead letters %d",
                subtask, count(m, "answers"), count(m, "tokens"), rate(m, "tokensPerSecond"), count(m, "prefillTokens"),
                rate(m, "prefillTokensPerSecond"), ttft == null ? 0 : ttft.getStatistics().getQuantile(0.5),
                ttft == null ? 0 : ttft.getStatistics().getQuantile(0.99), gauge(m, "batchAnswers"),
                gauge(m, "batchRows"), gauge(m, "queuedQuestions"), gauge(m, "answersInFlight"),
                number(m, "kvBytesPerStream") / 1048576.0, number(m, "keptRatio"),
                100 * number(m, "draftAcceptance"), count(m, "deadLetters"));
    }

    private static long count(Map<String, Metric> m, String name) {
        return m.get(name) instanceof Counter c ? c.getCount() : 0;
    }

    private static double rate(Map<String, Metric> m, String name) {
        return m.get(name) instanceof Meter meter ? meter.getRate() : 0;
    }

    private static Object gauge(Map<String, Metric> m, String name) {
        return m.get(name) instanceof Gauge<?> g ? g.getValue() : "-";
    }

    private static double number(Map<String, Metric> m, String name) {
        return gauge(m, name) instanceof Number n ? n.doubleValue() : 0;
    }
}

package dev.vlflow.connectors.source;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * Lines of JSONL files: one file, or a directory's {@code *.jsonl} files in name order, read once (bounded) or
 * watched for new files (unbounded). Splits are whole files; a checkpoint holds each open file's byte offset and
 * every file already discovered, so a restored job continues where it stopped and reads no file twice.
 *
 * <pre>
 * JsonlSource source = JsonlSource.of(Path.of("inbox")).monitorEvery(Duration.ofMillis(200));
 * env.fromSource(source, WatermarkStrategy.noWatermarks(), "/job/source").setParallelism(1);
 * </pre>
 * Run it with parallelism 1 when the order of events across files matters (it does for video segments). A line
 * longer than {@link #withMaxLineBytes the limit} (default {@value #DEFAULT_MAX_LINE_BYTES} bytes) is skipped without
 * being held in memory and emitted as an {@link SourceLine#overLimit() over-limit} line, for the parser to report.
 */
public final class JsonlSource implements Source<SourceLine, JsonlFileSplit, DirectoryEnumeratorState>,
        ResultTypeQueryable<SourceLine> {

    private static final long serialVersionUID = 1L;

    /** The line limit of a source that is not given one: 16 MiB. */
    public static final int DEFAULT_MAX_LINE_BYTES = 16 << 20;

    private final String path;
    private final Duration monitorInterval; // null: bounded
    private final int maxLineBytes;

    private JsonlSource(String path, Duration monitorInterval, int maxLineBytes) {
        this.path = Objects.requireNonNull(path, "path");
        this.monitorInterval = monitorInterval;
        this.maxLineBytes = maxLineBytes;
    }

    /** Reads the file or directory once. */
    public static JsonlSource of(Path path) {
        return new JsonlSource(path.toAbsolutePath().toString(), null, DEFAULT_MAX_LINE_BYTES);
    }

    /** The same source with lines of at most {@code bytes} bytes (terminator not counted). */
    public JsonlSource withMaxLineBytes(int bytes) {
        if (bytes < 1) {
            throw new IllegalArgumentException("max line bytes must be positive, got " + bytes);
        }
        return new JsonlSource(path, monitorInterval, bytes);
    }

    public int maxLineBytes() {
        return maxLineBytes;
    }

    /** The same source, watching the directory for new files every {@code interval} (never ends). */
    public JsonlSource monitorEvery(Duration interval) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("monitor interval must be positive, got " + interval);
        }
        return new JsonlSource(path, interval, maxLineBytes);
    }

    public Optional<Duration> monitorInterval() {
        return Optional.ofNullable(monitorInterval);
    }

    @Override
    public Boundedness getBoundedness() {
        return monitorInterval == null ? Boundedness.BOUNDED : Boundedness.CONTINUOUS_UNBOUNDED;
    }

    @Override
    public SplitEnumerator<JsonlFileSplit, DirectoryEnumeratorState> createEnumerator(
            SplitEnumeratorContext<JsonlFileSplit> context) {
        return restoreEnumerator(context, DirectoryEnumeratorState.empty());
    }

    @Override
    public SplitEnumerator<JsonlFileSplit, DirectoryEnumeratorState> restoreEnumerator(
            SplitEnumeratorContext<JsonlFileSplit> context, DirectoryEnumeratorState state) {
        return new DirectoryEnumerator(context, Path.of(path), monitorInterval(), state);
    }

    @Override
    public SimpleVersionedSerializer<JsonlFileSplit> getSplitSerializer() {
        return JsonlFileSplitSerializer.INSTANCE;
    }

    @Override
    public SimpleVersionedSerializer<DirectoryEnumeratorState> getEnumeratorCheckpointSerializer() {
        return DirectoryEnumeratorStateSerializer.INSTANCE;
    }

    @Override
    public SourceReader<SourceLine, JsonlFileSplit> createReader(SourceReaderContext context) {
        return new JsonlSourceReader(context, maxLineBytes);
    }

    @Override
    public TypeInformation<SourceLine> getProducedType() {
        return TypeInformation.of(SourceLine.class);
    }
}

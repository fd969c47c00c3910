package dev.vlflow.connectors.sink;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.UUID;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.api.connector.sink2.CommitterInitContext;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.SupportsCommitter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * Exactly-once JSON lines files in a directory: writer, committable ({@link PendingFile}), committer. Lines become
 * visible as {@code prefix-<subtask>-<writer>-<n>.jsonl} when the checkpoint after them completes (or at the end of
 * a bounded job). Readers should read every {@code *.jsonl} file of the directory.
 */
public final class JsonlFileSink<T> implements Sink<T>, SupportsCommitter<PendingFile> {

    private static final long serialVersionUID = 1L;

    private final String directory;
    private final String prefix;
    private final LineEncoder<T> encoder;

    public JsonlFileSink(Path directory, String prefix, LineEncoder<T> encoder) {
        this.directory = directory.toAbsolutePath().toString();
        this.prefix = Objects.requireNonNull(prefix, "prefix");
        this.encoder = Objects.requireNonNull(encoder, "encoder");
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) throws IOException {
        // A fresh writer id per attempt keeps part names unique across restores without writer state.
        String name = prefix + "-" + context.getTaskInfo().getIndexOfThisSubtask() + "-"
                + UUID.randomUUID().toString().substring(0, 8);
        return new JsonlFileWriter<>(Path.of(directory), name, encoder);
    }

    @Override
    public Committer<PendingFile> createCommitter(CommitterInitContext context) {
        return new PendingFileCommitter();
    }

    @Override
    public SimpleVersionedSerializer<PendingFile> getCommittableSerializer() {
        return PendingFileSerializer.INSTANCE;
    }
}

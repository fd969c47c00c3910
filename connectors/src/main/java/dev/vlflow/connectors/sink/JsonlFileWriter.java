package dev.vlflow.connectors.sink;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import org.apache.flink.api.connector.sink2.CommittingSinkWriter;

/**
 * Writes lines to a hidden part file ({@code .name-n.jsonl.inprogress}); at each checkpoint the part is closed and
 * handed to the committer, which gives it its final name ({@code name-n.jsonl}) once the checkpoint completes.
 */
final class JsonlFileWriter<T> implements CommittingSinkWriter<T, PendingFile> {

    private final Path directory;
    private final String name;
    private final LineEncoder<T> encoder;
    private BufferedWriter out;
    private Path inProgress;
    private int part;

    JsonlFileWriter(Path directory, String name, LineEncoder<T> encoder) throws IOException {
        this.directory = Files.createDirectories(directory);
        this.name = name;
        this.encoder = encoder;
    }

    @Override
    public void write(T element, Context context) throws IOException {
        if (out == null) {
            inProgress = directory.resolve("." + name + "-" + part + ".jsonl.inprogress");
            out = Files.newBufferedWriter(inProgress, StandardCharsets.UTF_8);
        }
        out.write(encoder.encode(element));
        out.write('\n');
    }

    @Override
    public void flush(boolean endOfInput) throws IOException {
        if (out != null) {
            out.flush();
        }
    }

    @Override
    public Collection<PendingFile> prepareCommit() throws IOException {
        if (out == null) {
            return List.of();
        }
        out.close();
        out = null;
        PendingFile pending = new PendingFile(inProgress.toString(),
                directory.resolve(name + "-" + part + ".jsonl").toString());
        part++;
        return List.of(pending);
    }

    @Override
    public void close() throws IOException {
        if (out != null) {
            out.close();
        }
    }
}

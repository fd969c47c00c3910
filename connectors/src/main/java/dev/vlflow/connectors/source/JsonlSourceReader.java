package dev.vlflow.connectors.source;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.core.io.InputStatus;

/**
 * Reads the lines of its splits one file at a time, in the task thread (local files; no fetcher threads). Blank
 * lines are skipped; lines over the limit are passed on (without their text) to be reported. Asks the enumerator for the next file when one is done.
 */
final class JsonlSourceReader implements SourceReader<SourceLine, JsonlFileSplit> {

    private final SourceReaderContext context;
    private final int maxLineBytes;
    private final Deque<JsonlFileSplit> splits = new ArrayDeque<>();
    private LineCursor current;
    private boolean noMoreSplits;
    private boolean requested;
    private CompletableFuture<Void> available = new CompletableFuture<>();

    JsonlSourceReader(SourceReaderContext context, int maxLineBytes) {
        this.context = context;
        this.maxLineBytes = maxLineBytes;
    }

    @Override
    public void start() {
        requestSplit();
    }

    @Override
    public InputStatus pollNext(ReaderOutput<SourceLine> output) throws Exception {
        while (true) {
            if (current == null) {
                if (splits.isEmpty()) {
                    if (noMoreSplits) {
                        return InputStatus.END_OF_INPUT;
                    }
                    requestSplit();
                    return InputStatus.NOTHING_AVAILABLE;
                }
                current = new LineCursor(splits.poll(), maxLineBytes);
            }
            Optional<SourceLine> line = current.next();
            if (line.isEmpty()) {
                current.close();
                current = null;
                continue;
            }
            if (line.get().overLimit() || !line.get().text().isBlank()) {
                output.collect(line.get());
                return InputStatus.MORE_AVAILABLE;
            }
        }
    }

    private void requestSplit() {
        if (!requested && !noMoreSplits) {
            requested = true;
            context.sendSplitRequest();
        }
    }

    @Override
    public List<JsonlFileSplit> snapshotState(long checkpointId) {
        List<JsonlFileSplit> state = new ArrayList<>();
        if (current != null) {
            state.add(current.position());
        }
        state.addAll(splits);
        return state;
    }

    @Override
    public CompletableFuture<Void> isAvailable() {
        if (current != null || !splits.isEmpty() || noMoreSplits) {
            return CompletableFuture.completedFuture(null);
        }
        if (available.isDone()) {
            available = new CompletableFuture<>();
        }
        return available;
    }

    @Override
    public void addSplits(List<JsonlFileSplit> newSplits) {
        splits.addAll(newSplits);
        requested = false;
        available.complete(null);
    }

    @Override
    public void notifyNoMoreSplits() {
        noMoreSplits = true;
        available.complete(null);
    }

    @Override
    public void close() throws java.io.IOException {
        if (current != null) {
            current.close();
        }
    }
}

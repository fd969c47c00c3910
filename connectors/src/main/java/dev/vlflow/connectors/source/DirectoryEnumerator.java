package dev.vlflow.connectors.source;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.util.FlinkRuntimeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds JSONL files (once, or every {@code monitorInterval}) and hands them out, one file per request, in name
 * order. All fields are touched on the coordinator thread only; listing runs in {@code callAsync}'s worker and
 * only returns names.
 */
final class DirectoryEnumerator implements SplitEnumerator<JsonlFileSplit, DirectoryEnumeratorState> {

    private static final Logger LOG = LoggerFactory.getLogger(DirectoryEnumerator.class);

    private final SplitEnumeratorContext<JsonlFileSplit> context;
    private final Path root;
    private final Optional<Duration> monitorInterval;
    private final Set<String> discovered;
    private final Deque<JsonlFileSplit> pending;
    private final Set<Integer> waitingReaders = new LinkedHashSet<>();
    private boolean listedOnce;

    DirectoryEnumerator(SplitEnumeratorContext<JsonlFileSplit> context, Path root, Optional<Duration> monitorInterval,
                        DirectoryEnumeratorState state) {
        this.context = context;
        this.root = root;
        this.monitorInterval = monitorInterval;
        this.discovered = new HashSet<>(state.discovered());
        this.pending = new ArrayDeque<>(state.pending());
    }

    @Override
    public void start() {
        if (monitorInterval.isPresent()) {
            long ms = monitorInterval.get().toMillis();
            context.callAsync(() -> JsonlFiles.list(root), this::onListed, 0, ms);
        } else {
            context.callAsync(() -> JsonlFiles.list(root), this::onListed);
        }
    }

    private void onListed(List<String> files, Throwable error) {
        if (error != null) {
            if (monitorInterval.isEmpty()) {
                throw new FlinkRuntimeException("cannot read the input " + root + ": " + error.getMessage(), error);
            }
            LOG.warn("cannot list {} (will retry): {}", root, error.getMessage());
            return;
        }
        for (String file : files) {
            if (discovered.add(file)) {
                pending.add(JsonlFileSplit.of(file));
            }
        }
        listedOnce = true;
        assignPending();
    }

    @Override
    public void handleSplitRequest(int subtask, String requesterHostname) {
        waitingReaders.add(subtask);
        assignPending();
    }

    private void assignPending() {
        for (Iterator<Integer> it = waitingReaders.iterator(); it.hasNext(); ) {
            int reader = it.next();
            if (!context.registeredReaders().containsKey(reader)) {
                it.remove();
            } else if (!pending.isEmpty()) {
                context.assignSplit(pending.poll(), reader);
                it.remove();
            } else if (listedOnce && monitorInterval.isEmpty()) {
                context.signalNoMoreSplits(reader);
                it.remove();
            }
        }
    }

    @Override
    public void addSplitsBack(List<JsonlFileSplit> splits, int subtask) {
        for (int i = splits.size() - 1; i >= 0; i--) {
            pending.addFirst(splits.get(i));
        }
        assignPending();
    }

    @Override
    public void addReader(int subtask) {
        // Readers ask for splits themselves.
    }

    @Override
    public DirectoryEnumeratorState snapshotState(long checkpointId) {
        return new DirectoryEnumeratorState(discovered, List.copyOf(pending));
    }

    @Override
    public void close() {
    }
}

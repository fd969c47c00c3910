package dev.vlflow.connectors.sink;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collection;
import org.apache.flink.api.connector.sink2.Committer;

/** Renames finished part files to their final names; idempotent, so a commit retried after a restore is safe. */
final class PendingFileCommitter implements Committer<PendingFile> {

    @Override
    public void commit(Collection<CommitRequest<PendingFile>> requests) {
        for (CommitRequest<PendingFile> request : requests) {
            Path from = Path.of(request.getCommittable().inProgressPath());
            Path to = Path.of(request.getCommittable().finalPath());
            try {
                if (Files.exists(from)) {
                    Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
                } else if (Files.exists(to)) {
                    request.signalAlreadyCommitted();
                } else {
                    request.signalFailedWithKnownReason(new IOException("part file " + from + " is gone"));
                }
            } catch (IOException e) {
                request.retryLater();
            }
        }
    }

    @Override
    public void close() {
    }
}

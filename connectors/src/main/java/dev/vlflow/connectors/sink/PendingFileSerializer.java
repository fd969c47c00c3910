package dev.vlflow.connectors.sink;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * Versioned bytes of a {@link PendingFile}.
 *
 * <pre>
 * version 1:  UTF inProgressPath | UTF finalPath
 * </pre>
 */
public final class PendingFileSerializer implements SimpleVersionedSerializer<PendingFile> {

    public static final PendingFileSerializer INSTANCE = new PendingFileSerializer();
    private static final int VERSION = 1;

    @Override
    public int getVersion() {
        return VERSION;
    }

    @Override
    public byte[] serialize(PendingFile file) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeUTF(file.inProgressPath());
            out.writeUTF(file.finalPath());
        }
        return bytes.toByteArray();
    }

    @Override
    public PendingFile deserialize(int version, byte[] serialized) throws IOException {
        if (version != VERSION) {
            throw new IOException("unknown pending-file version " + version + " (this code reads " + VERSION + ")");
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
            return new PendingFile(in.readUTF(), in.readUTF());
        }
    }
}

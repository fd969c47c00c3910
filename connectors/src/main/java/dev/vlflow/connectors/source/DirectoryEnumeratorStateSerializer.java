package dev.vlflow.connectors.source;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * Versioned bytes of a {@link DirectoryEnumeratorState}.
 *
 * <pre>
 * version 1:  i32 n | n x UTF discovered path (sorted) | i32 m | m x split (see {@link JsonlFileSplitSerializer})
 * </pre>
 */
public final class DirectoryEnumeratorStateSerializer implements SimpleVersionedSerializer<DirectoryEnumeratorState> {

    public static final DirectoryEnumeratorStateSerializer INSTANCE = new DirectoryEnumeratorStateSerializer();
    private static final int VERSION = 1;

    @Override
    public int getVersion() {
        return VERSION;
    }

    @Override
    public byte[] serialize(DirectoryEnumeratorState state) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            Set<String> sorted = new TreeSet<>(state.discovered());
            out.writeInt(sorted.size());
            for (String path : sorted) {
                out.writeUTF(path);
            }
            out.writeInt(state.pending().size());
            for (JsonlFileSplit split : state.pending()) {
                JsonlFileSplitSerializer.write(split, out);
            }
        }
        return bytes.toByteArray();
    }

    @Override
    public DirectoryEnumeratorState deserialize(int version, byte[] serialized) throws IOException {
        if (version != VERSION) {
            throw new IOException("unknown enumerator state version " + version + " (this code reads " + VERSION + ")");
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
            int n = in.readInt();
            Set<String> discovered = new HashSet<>();
            for (int i = 0; i < n; i++) {
                discovered.add(in.readUTF());
            }
            int m = in.readInt();
            List<JsonlFileSplit> pending = new ArrayList<>(m);
            for (int i = 0; i < m; i++) {
                pending.add(JsonlFileSplitSerializer.read(in));
            }
            return new DirectoryEnumeratorState(discovered, pending);
        }
    }
}

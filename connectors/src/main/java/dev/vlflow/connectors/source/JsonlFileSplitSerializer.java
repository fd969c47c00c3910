package dev.vlflow.connectors.source;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.ByteArrayInputStream;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * Versioned bytes of a {@link JsonlFileSplit}.
 *
 * <pre>
 * version 1:  UTF path | i64 offset | i64 linesRead
 * </pre>
 */
public final class JsonlFileSplitSerializer implements SimpleVersionedSerializer<JsonlFileSplit> {

    public static final JsonlFileSplitSerializer INSTANCE = new JsonlFileSplitSerializer();
    private static final int VERSION = 1;

    @Override
    public int getVersion() {
        return VERSION;
    }

    @Override
    public byte[] serialize(JsonlFileSplit split) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            write(split, out);
        }
        return bytes.toByteArray();
    }

    @Override
    public JsonlFileSplit deserialize(int version, byte[] serialized) throws IOException {
        if (version != VERSION) {
            throw new IOException("unknown JSONL split version " + version + " (this code reads " + VERSION + ")");
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
            return read(in);
        }
    }

    static void write(JsonlFileSplit split, DataOutputStream out) throws IOException {
        out.writeUTF(split.path());
        out.writeLong(split.offset());
        out.writeLong(split.linesRead());
    }

    static JsonlFileSplit read(DataInputStream in) throws IOException {
        return new JsonlFileSplit(in.readUTF(), in.readLong(), in.readLong());
    }
}

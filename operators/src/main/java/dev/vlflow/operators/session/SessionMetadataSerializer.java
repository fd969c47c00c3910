package dev.vlflow.operators.session;

import dev.vlflow.operators.serde.RecordSerializer;
import dev.vlflow.operators.serde.RecordSerializerSnapshot;
import java.io.IOException;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Bytes of a {@link SessionMetadata}; each value starts with its format version, so a value read back always
 * says how it was written.
 *
 * <pre>
 * version 1 (41 bytes):
 *   u8 version=1 | i64 lastSequence | i64 segments | i32 frames | i32 nextPosition | i32 cachedTokens
 *   | i64 evictedTokens | i32 pageTokens
 * </pre>
 */
public final class SessionMetadataSerializer extends RecordSerializer<SessionMetadata> {

    private static final long serialVersionUID = 1L;
    public static final SessionMetadataSerializer INSTANCE = new SessionMetadataSerializer();
    static final int FORMAT = 1;

    @Override
    public int formatVersion() {
        return FORMAT;
    }

    @Override
    public boolean isImmutableType() {
        return true;
    }

    @Override
    public SessionMetadata createInstance() {
        return new SessionMetadata(0, 1, 0, 0, 0, 0, 1);
    }

    @Override
    protected SessionMetadata deepCopy(SessionMetadata value) {
        return value;
    }

    @Override
    public int getLength() {
        return 41;
    }

    @Override
    public void serialize(SessionMetadata m, DataOutputView out) throws IOException {
        out.writeByte(FORMAT);
        out.writeLong(m.lastSequence());
        out.writeLong(m.segments());
        out.writeInt(m.frames());
        out.writeInt(m.nextPosition());
        out.writeInt(m.cachedTokens());
        out.writeLong(m.evictedTokens());
        out.writeInt(m.pageTokens());
    }

    @Override
    protected SessionMetadata read(int version, DataInputView in) throws IOException {
        int written = in.readUnsignedByte();
        if (written != FORMAT) {
            throw new IOException("session metadata in format " + written + "; this code reads " + FORMAT);
        }
        return new SessionMetadata(in.readLong(), in.readLong(), in.readInt(), in.readInt(), in.readInt(),
                in.readLong(), in.readInt());
    }

    @Override
    protected RecordSerializerSnapshot<SessionMetadata> newSnapshot() {
        return new Snapshot();
    }

    /** Snapshot: the format version. */
    public static final class Snapshot extends RecordSerializerSnapshot<SessionMetadata> {
        public Snapshot() {
            super(version -> INSTANCE, FORMAT);
        }
    }
}

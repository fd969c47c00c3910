package dev.vlflow.operators.serde;

import java.io.IOException;
import java.util.function.IntFunction;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Snapshot of a {@link RecordSerializer}: the version of the byte format the state was written in.
 *
 * <pre>
 * snapshot version 1:  i32 formatVersion
 * </pre>
 * On restore, state in the current format is compatible as is; state in an older format the new code can still
 * read is migrated (Flink reads it with {@link #restoreSerializer()}, which reads that format, and rewrites it with
 * the new serializer); anything else is incompatible.
 */
public abstract class RecordSerializerSnapshot<T> implements TypeSerializerSnapshot<T> {

    private static final int SNAPSHOT_VERSION = 1;

    int formatVersion;
    private final IntFunction<RecordSerializer<T>> serializerForFormat;
    private final int oldestReadableFormat;

    /**
     * @param serializerForFormat a serializer reading the given format (the current serializer for the current one)
     * @param oldestReadableFormat the oldest format version the current code reads
     */
    protected RecordSerializerSnapshot(IntFunction<RecordSerializer<T>> serializerForFormat,
                                       int oldestReadableFormat) {
        this.serializerForFormat = serializerForFormat;
        this.oldestReadableFormat = oldestReadableFormat;
    }

    @Override
    public int getCurrentVersion() {
        return SNAPSHOT_VERSION;
    }

    @Override
    public void writeSnapshot(DataOutputView out) throws IOException {
        out.writeInt(formatVersion);
    }

    @Override
    public void readSnapshot(int readVersion, DataInputView in, ClassLoader classLoader) throws IOException {
        if (readVersion != SNAPSHOT_VERSION) {
            throw new IOException("unknown serializer snapshot version " + readVersion);
        }
        formatVersion = in.readInt();
    }

    /** The format version the snapshotted state was written in. */
    public int formatVersion() {
        return formatVersion;
    }

    @Override
    public TypeSerializer<T> restoreSerializer() {
        return serializerForFormat.apply(formatVersion);
    }

    @Override
    public TypeSerializerSchemaCompatibility<T> resolveSchemaCompatibility(TypeSerializerSnapshot<T> oldSnapshot) {
        if (oldSnapshot == null || oldSnapshot.getClass() != getClass()) {
            return TypeSerializerSchemaCompatibility.incompatible();
        }
        int old = ((RecordSerializerSnapshot<T>) oldSnapshot).formatVersion;
        if (old == formatVersion) {
            return TypeSerializerSchemaCompatibility.compatibleAsIs();
        }
        if (old >= oldestReadableFormat && old < formatVersion) {
            return TypeSerializerSchemaCompatibility.compatibleAfterMigration();
        }
        return TypeSerializerSchemaCompatibility.incompatible();
    }
}

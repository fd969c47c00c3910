package dev.vlflow.operators.serde;

import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Base of vlflow's hand-written serializers for immutable records. Subclasses write one format, whose version is
 * recorded in the serializer snapshot ({@link RecordSerializerSnapshot}); they are stateless, so
 * {@link #duplicate()} may return {@code this}.
 *
 * <p>Records holding arrays are not immutable, so {@link #copy(Object)} calls {@link #deepCopy}; records with
 * only primitive and string components return themselves.
 */
public abstract class RecordSerializer<T> extends TypeSerializer<T> {

    private static final long serialVersionUID = 1L;

    /** Version of the byte format {@link #serialize} writes. */
    public abstract int formatVersion();

    /** Reads a value written in format {@code version} (the current one, or an older one it still reads). */
    protected abstract T read(int version, DataInputView in) throws IOException;

    /** A copy that shares no mutable part with {@code value}. */
    protected abstract T deepCopy(T value);

    /** A fresh snapshot object of this serializer's class (used when reading a snapshot back). */
    protected abstract RecordSerializerSnapshot<T> newSnapshot();

    @Override
    public final TypeSerializer<T> duplicate() {
        return this;
    }

    @Override
    public T copy(T from) {
        return deepCopy(from);
    }

    @Override
    public final T copy(T from, T reuse) {
        return copy(from);
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public final T deserialize(DataInputView in) throws IOException {
        return read(formatVersion(), in);
    }

    @Override
    public final T deserialize(T reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public final void copy(DataInputView source, DataOutputView target) throws IOException {
        serialize(deserialize(source), target);
    }

    @Override
    public final TypeSerializerSnapshot<T> snapshotConfiguration() {
        RecordSerializerSnapshot<T> snapshot = newSnapshot();
        snapshot.formatVersion = formatVersion();
        return snapshot;
    }

    @Override
    public boolean equals(Object o) {
        return o != null && o.getClass() == getClass();
    }

    @Override
    public int hashCode() {
        return getClass().hashCode();
    }
}

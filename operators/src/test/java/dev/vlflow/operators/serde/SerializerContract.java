package dev.vlflow.operators.serde;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/**
 * The contract every vlflow serializer passes (after Flink's {@code SerializerTestBase}): copies are equal and
 * independent, values round-trip (also into a reuse instance and through stream-to-stream copy), the fixed length
 * is honest, the serializer snapshot round-trips and restores a serializer that reads the same bytes and is
 * compatible as is, the serializer survives Java serialization (it ships with the job graph), and duplicates work
 * concurrently from several threads.
 *
 * <p>Subclasses give the serializer and test values; values must implement {@code equals} by content.
 */
public abstract class SerializerContract<T> {

    /** The serializer under test. */
    protected abstract TypeSerializer<T> serializer();

    /** Values covering edge cases (empty arrays, extremes, unicode). */
    protected abstract List<T> values();

    /** Whether copies of a value must be distinct objects (false for immutable types). */
    protected boolean mutable() {
        return !serializer().isImmutableType();
    }

    @Test
    void copyIsEqualAndIndependent() {
        TypeSerializer<T> s = serializer();
        for (T value : values()) {
            T copy = s.copy(value);
            assertEquals(value, copy);
            T reused = s.copy(value, s.createInstance());
            assertEquals(value, reused);
            if (mutable()) {
                assertNotSame(value, copy);
            }
        }
    }

    @Test
    void roundTrip() throws IOException {
        TypeSerializer<T> s = serializer();
        for (T value : values()) {
            byte[] bytes = serialize(s, value);
            if (s.getLength() > 0) {
                assertEquals(s.getLength(), bytes.length, "fixed length");
            }
            DataInputDeserializer in = new DataInputDeserializer(bytes);
            assertEquals(value, s.deserialize(in));
            assertEquals(0, in.available(), "every byte consumed");
            assertEquals(value, s.deserialize(s.createInstance(), new DataInputDeserializer(bytes)));
        }
    }

    @Test
    void manyValuesInOneStream() throws IOException {
        TypeSerializer<T> s = serializer();
        DataOutputSerializer out = new DataOutputSerializer(256);
        for (T value : values()) {
            s.serialize(value, out);
        }
        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
        for (T value : values()) {
            assertEquals(value, s.deserialize(in));
        }
        assertEquals(0, in.available());
    }

    @Test
    void streamToStreamCopy() throws IOException {
        TypeSerializer<T> s = serializer();
        for (T value : values()) {
            DataOutputSerializer target = new DataOutputSerializer(64);
            s.copy(new DataInputDeserializer(serialize(s, value)), target);
            assertEquals(value, s.deserialize(new DataInputDeserializer(target.getCopyOfBuffer())));
        }
    }

    @Test
    void snapshotRestoresACompatibleSerializer() throws IOException {
        TypeSerializer<T> s = serializer();
        DataOutputSerializer out = new DataOutputSerializer(64);
        TypeSerializerSnapshot.writeVersionedSnapshot(out, s.snapshotConfiguration());
        TypeSerializerSnapshot<T> restored = TypeSerializerSnapshot.readVersionedSnapshot(
                new DataInputDeserializer(out.getCopyOfBuffer()), getClass().getClassLoader());
        TypeSerializerSchemaCompatibility<T> compatibility =
                s.snapshotConfiguration().resolveSchemaCompatibility(restored);
        assertTrue(compatibility.isCompatibleAsIs(), "compatible as is: " + compatibility);
        TypeSerializer<T> restoredSerializer = restored.restoreSerializer();
        assertEquals(s, restoredSerializer);
        for (T value : values()) {
            assertEquals(value, restoredSerializer.deserialize(new DataInputDeserializer(serialize(s, value))));
        }
    }

    @Test
    void duplicateEqualsOriginal() {
        TypeSerializer<T> s = serializer();
        TypeSerializer<T> d = s.duplicate();
        assertEquals(s, d);
        assertEquals(s.hashCode(), d.hashCode());
        assertFalse(s.equals(null));
    }

    @Test
    void survivesJavaSerialization() throws Exception {
        TypeSerializer<T> s = serializer();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(s);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            @SuppressWarnings("unchecked")
            TypeSerializer<T> back = (TypeSerializer<T>) in.readObject();
            assertEquals(s, back);
            for (T value : values()) {
                assertEquals(value, back.deserialize(new DataInputDeserializer(serialize(s, value))));
            }
        }
    }

    @Test
    void duplicatesWorkConcurrently() throws Exception {
        int threads = 4;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Void>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                TypeSerializer<T> s = serializer().duplicate();
                Callable<Void> work = () -> {
                    for (int round = 0; round < 200; round++) {
                        for (T value : values()) {
                            assertEquals(value, s.deserialize(new DataInputDeserializer(serialize(s, value))));
                            assertEquals(value, s.copy(value));
                        }
                    }
                    return null;
                };
                results.add(pool.submit(work));
            }
            for (Future<Void> f : results) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static <T> byte[] serialize(TypeSerializer<T> s, T value) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        s.serialize(value, out);
        return out.getCopyOfBuffer();
    }
}

package dev.vlflow.operators.serde;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.vlflow.operators.session.SessionMetadata;
import dev.vlflow.operators.session.SessionMetadataSerializer;
import java.io.IOException;
import java.util.List;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class SessionMetadataSerializerTest extends SerializerContract<SessionMetadata> {

    @Override
    protected TypeSerializer<SessionMetadata> serializer() {
        return SessionMetadataSerializer.INSTANCE;
    }

    @Override
    protected List<SessionMetadata> values() {
        return List.of(
                new SessionMetadata(0, 1, 0, 0, 0, 0, 1),
                new SessionMetadata(7, 8, 32, 529, 529, 0, 64),
                new SessionMetadata(Long.MAX_VALUE, Long.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE, 4096,
                        Long.MAX_VALUE, Integer.MAX_VALUE));
    }

    @Test
    void bytesFollowTheDocumentedLayout() throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        SessionMetadataSerializer.INSTANCE.serialize(new SessionMetadata(2, 3, 4, 5, 5, 0, 64), out);
        byte[] expected = {
            1,                              // format
            0, 0, 0, 0, 0, 0, 0, 2,         // lastSequence
            0, 0, 0, 0, 0, 0, 0, 3,         // segments
            0, 0, 0, 4,                     // frames
            0, 0, 0, 5,                     // nextPosition
            0, 0, 0, 5,                     // cachedTokens
            0, 0, 0, 0, 0, 0, 0, 0,         // evictedTokens
            0, 0, 0, 64                     // pageTokens
        };
        assertArrayEquals(expected, out.getCopyOfBuffer());
    }

    @Test
    void refusesAnUnknownFormat() throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        SessionMetadataSerializer.INSTANCE.serialize(new SessionMetadata(2, 3, 4, 5, 5, 0, 64), out);
        byte[] bytes = out.getCopyOfBuffer();
        bytes[0] = 2;
        IOException e = assertThrows(IOException.class,
                () -> SessionMetadataSerializer.INSTANCE.deserialize(new DataInputDeserializer(bytes)));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("format 2"));
    }
}

package dev.vlflow.connectors.source;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.vlflow.connectors.sink.PendingFile;
import dev.vlflow.connectors.sink.PendingFileSerializer;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The versioned bytes of the source's split and enumerator state and of the sink's committable. */
class SplitSerializersTest {

    @Test
    void splitsRoundTripAndFollowTheLayout() throws IOException {
        JsonlFileSplit split = new JsonlFileSplit("/in/a.jsonl", 1234, 7);
        byte[] bytes = JsonlFileSplitSerializer.INSTANCE.serialize(split);
        assertEquals(1, JsonlFileSplitSerializer.INSTANCE.getVersion());
        assertEquals(split, JsonlFileSplitSerializer.INSTANCE.deserialize(1, bytes));
        assertEquals(2 + 11 + 8 + 8, bytes.length); // UTF length + chars, offset, lines
        assertEquals("/in/a.jsonl", split.splitId());
        assertThrows(IOException.class, () -> JsonlFileSplitSerializer.INSTANCE.deserialize(2, bytes));
    }

    @Test
    void enumeratorStateRoundTrips() throws IOException {
        DirectoryEnumeratorState state = new DirectoryEnumeratorState(Set.of("/in/a.jsonl", "/in/b.jsonl", "/in/\u00e9"),
                List.of(JsonlFileSplit.of("/in/b.jsonl"), new JsonlFileSplit("/in/c.jsonl", 5, 1)));
        var s = DirectoryEnumeratorStateSerializer.INSTANCE;
        byte[] bytes = s.serialize(state);
        assertEquals(state, s.deserialize(s.getVersion(), bytes));
        assertArrayEquals(bytes, s.serialize(s.deserialize(1, bytes)), "deterministic bytes (sorted paths)");
        assertEquals(DirectoryEnumeratorState.empty(), s.deserialize(1, s.serialize(DirectoryEnumeratorState.empty())));
        assertThrows(IOException.class, () -> s.deserialize(0, bytes));
    }

    @Test
    void pendingFilesRoundTrip() throws IOException {
        PendingFile f = new PendingFile("/out/.a-0.jsonl.inprogress", "/out/a-0.jsonl");
        var s = PendingFileSerializer.INSTANCE;
        assertEquals(f, s.deserialize(s.getVersion(), s.serialize(f)));
        assertThrows(IOException.class, () -> s.deserialize(9, s.serialize(f)));
    }
}

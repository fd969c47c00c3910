package dev.vlflow.operators.frames;

import dev.vlflow.operators.serde.Arrays32;
import dev.vlflow.operators.serde.RecordSerializer;
import dev.vlflow.operators.serde.RecordSerializerSnapshot;
import dev.vlflow.operators.serde.RecordTypeInfo;
import java.io.IOException;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Bytes of {@link SegmentFrames} (records in flight between sampling and encoding).
 *
 * <pre>
 * format 1:  UTF streamId | i64 sequence | i32 frames | i32 size | i32 n | f32[n] pixels (LE) | i32 m | i64[m] timestamps
 * </pre>
 */
public final class SegmentFramesSerializer extends RecordSerializer<SegmentFrames> {

    private static final long serialVersionUID = 1L;
    public static final SegmentFramesSerializer INSTANCE = new SegmentFramesSerializer();
    public static final TypeInformation<SegmentFrames> TYPE = new RecordTypeInfo<>(SegmentFrames.class, INSTANCE);
    static final int FORMAT = 1;

    @Override
    public int formatVersion() {
        return FORMAT;
    }

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public SegmentFrames createInstance() {
        return SegmentFrames.empty("", 0, 1);
    }

    @Override
    protected SegmentFrames deepCopy(SegmentFrames f) {
        return new SegmentFrames(f.streamId(), f.sequence(), f.frames(), f.size(), f.pixels().clone(),
                f.timestampsMicros().clone());
    }

    @Override
    public void serialize(SegmentFrames f, DataOutputView out) throws IOException {
        out.writeUTF(f.streamId());
        out.writeLong(f.sequence());
        out.writeInt(f.frames());
        out.writeInt(f.size());
        Arrays32.writeFloats(f.pixels(), out);
        Arrays32.writeLongs(f.timestampsMicros(), out);
    }

    @Override
    protected SegmentFrames read(int version, DataInputView in) throws IOException {
        return new SegmentFrames(in.readUTF(), in.readLong(), in.readInt(), in.readInt(), Arrays32.readFloats(in),
                Arrays32.readLongs(in));
    }

    @Override
    protected RecordSerializerSnapshot<SegmentFrames> newSnapshot() {
        return new Snapshot();
    }

    /** Snapshot: the format version. */
    public static final class Snapshot extends RecordSerializerSnapshot<SegmentFrames> {
        public Snapshot() {
            super(version -> INSTANCE, FORMAT);
        }
    }
}

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
 * Bytes of {@link SegmentEmbeddings} (records in flight between encoding and the session).
 *
 * <pre>
 * format 1:  UTF streamId | i64 sequence | i32 frames | i32 tokensPerFrame | i32 hidden | i32 n | f32[n] rows (LE)
 * </pre>
 */
public final class SegmentEmbeddingsSerializer extends RecordSerializer<SegmentEmbeddings> {

    private static final long serialVersionUID = 1L;
    public static final SegmentEmbeddingsSerializer INSTANCE = new SegmentEmbeddingsSerializer();
    public static final TypeInformation<SegmentEmbeddings> TYPE =
            new RecordTypeInfo<>(SegmentEmbeddings.class, INSTANCE);
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
    public SegmentEmbeddings createInstance() {
        return new SegmentEmbeddings("", 0, 0, 1, 1, new float[0]);
    }

    @Override
    protected SegmentEmbeddings deepCopy(SegmentEmbeddings e) {
        return new SegmentEmbeddings(e.streamId(), e.sequence(), e.frames(), e.tokensPerFrame(), e.hidden(),
                e.rows().clone());
    }

    @Override
    public void serialize(SegmentEmbeddings e, DataOutputView out) throws IOException {
        out.writeUTF(e.streamId());
        out.writeLong(e.sequence());
        out.writeInt(e.frames());
        out.writeInt(e.tokensPerFrame());
        out.writeInt(e.hidden());
        Arrays32.writeFloats(e.rows(), out);
    }

    @Override
    protected SegmentEmbeddings read(int version, DataInputView in) throws IOException {
        return new SegmentEmbeddings(in.readUTF(), in.readLong(), in.readInt(), in.readInt(), in.readInt(),
                Arrays32.readFloats(in));
    }

    @Override
    protected RecordSerializerSnapshot<SegmentEmbeddings> newSnapshot() {
        return new Snapshot();
    }

    /** Snapshot: the format version. */
    public static final class Snapshot extends RecordSerializerSnapshot<SegmentEmbeddings> {
        public Snapshot() {
            super(version -> INSTANCE, FORMAT);
        }
    }
}

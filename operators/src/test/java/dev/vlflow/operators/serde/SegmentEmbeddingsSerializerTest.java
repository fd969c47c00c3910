package dev.vlflow.operators.serde;

import dev.vlflow.operators.frames.SegmentEmbeddings;
import dev.vlflow.operators.frames.SegmentEmbeddingsSerializer;
import java.util.List;
import java.util.Random;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/** Runs the {@link SerializerContract} checks (copy, round trip, reuse, snapshot, threads) on sample values. */
class SegmentEmbeddingsSerializerTest extends SerializerContract<SegmentEmbeddings> {

    @Override
    protected TypeSerializer<SegmentEmbeddings> serializer() {
        return SegmentEmbeddingsSerializer.INSTANCE;
    }

    @Override
    protected List<SegmentEmbeddings> values() {
        Random random = new Random(9);
        float[] rows = new float[3 * 16 * 128];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = random.nextFloat() - 0.5f;
        }
        return List.of(
                new SegmentEmbeddings("s", 0, 0, 16, 128, new float[0]),
                new SegmentEmbeddings("stream-\u00fc", 12, 3, 16, 128, rows));
    }
}

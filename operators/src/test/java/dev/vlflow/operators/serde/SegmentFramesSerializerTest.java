package dev.vlflow.operators.serde;

import dev.vlflow.operators.frames.SegmentFrames;
import dev.vlflow.operators.frames.SegmentFramesSerializer;
import java.util.List;
import java.util.Random;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/** Runs the {@link SerializerContract} checks (copy, round trip, reuse, snapshot, threads) on sample values. */
class SegmentFramesSerializerTest extends SerializerContract<SegmentFrames> {

    @Override
    protected TypeSerializer<SegmentFrames> serializer() {
        return SegmentFramesSerializer.INSTANCE;
    }

    @Override
    protected List<SegmentFrames> values() {
        Random random = new Random(5);
        int size = 14;
        float[] pixels = new float[2 * 3 * size * size];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (float) random.nextGaussian();
        }
        pixels[0] = Float.NaN;
        pixels[1] = Float.NEGATIVE_INFINITY;
        pixels[2] = -0.0f;
        // more floats than one 64 KiB I/O chunk
        float[] big = new float[3 * 100 * 100];
        for (int i = 0; i < big.length; i++) {
            big[i] = i * 0.25f;
        }
        return List.of(
                SegmentFrames.empty("", 0, 1),
                new SegmentFrames("cam-1 \u00e9\u4e2d", 3, 2, size, pixels, new long[] {0, 40_000}),
                new SegmentFrames("big", Long.MAX_VALUE, 1, 100, big, new long[] {Long.MAX_VALUE}));
    }
}

package dev.vlflow.operators.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vlflow.kv.CacheShape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class KvPageCodecTest {

    private static final CacheShape SHAPE = new CacheShape(2, 2, 4); // token width 8

    @Test
    void roundTripIsBitExact() {
        Random random = new Random(1);
        int size = 10;
        int[] positions = new int[size];
        float[] keys = new float[size * 8];
        float[] values = new float[size * 8];
        for (int i = 0; i < size; i++) {
            positions[i] = 100 + 3 * i;
        }
        for (int i = 0; i < keys.length; i++) {
            keys[i] = (float) random.nextGaussian();
            values[i] = (float) random.nextGaussian();
        }
        keys[8] = Float.NaN;
        values[9] = -0.0f;
        byte[] page = KvPageCodec.encode(SHAPE, positions, keys, values, 4, 5);
        KvPage back = KvPageCodec.decode(page, SHAPE);
        assertEquals(5, back.tokens());
        assertArrayEquals(Arrays.copyOfRange(positions, 4, 9), back.positions());
        assertArrayEquals(Arrays.copyOfRange(keys, 32, 72), back.keys());
        assertArrayEquals(Arrays.copyOfRange(values, 32, 72), back.values());
    }

    @Test
    void headerFollowsTheDocumentedLayout() {
        int[] positions = {7};
        float[] keys = {1, 2, 3, 4, 5, 6, 7, 8};
        float[] values = {-1, -2, -3, -4, -5, -6, -7, -8};
        byte[] page = KvPageCodec.encode(SHAPE, positions, keys, values, 0, 1);
        assertEquals(12 + 4 + 2 * 8 * 4, page.length);
        ByteBuffer b = ByteBuffer.wrap(page).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(1, b.get(0));          // format
        assertEquals(0, b.get(1));          // float32
        assertEquals(2, b.getShort(2));     // kvHeads
        assertEquals(4, b.getShort(4));     // headDim
        assertEquals(0, b.getShort(6));     // reserved
        assertEquals(1, b.getInt(8));       // tokens
        assertEquals(7, b.getInt(12));      // positions[0]
        assertEquals(1f, b.getFloat(16));   // keys[0]
        assertEquals(-1f, b.getFloat(16 + 32)); // values[0]
    }

    @Test
    void emptyPageRoundTrips() {
        byte[] page = KvPageCodec.encode(SHAPE, new int[0], new float[0], new float[0], 0, 0);
        assertEquals(0, KvPageCodec.decode(page, SHAPE).tokens());
    }

    @Test
    void refusesOtherShapesFormatsAndTruncation() {
        byte[] page = KvPageCodec.encode(SHAPE, new int[] {0}, new float[8], new float[8], 0, 1);
        IllegalArgumentException shape = assertThrows(IllegalArgumentException.class,
                () -> KvPageCodec.decode(page, new CacheShape(2, 1, 8)));
        assertTrue(shape.getMessage().contains("does not fit"));
        byte[] future = page.clone();
        future[0] = 2;
        assertThrows(IllegalArgumentException.class, () -> KvPageCodec.decode(future, SHAPE));
        byte[] truncated = Arrays.copyOf(page, page.length - 1);
        assertThrows(IllegalArgumentException.class, () -> KvPageCodec.decode(truncated, SHAPE));
        assertThrows(IllegalArgumentException.class, () -> KvPageCodec.decode(new byte[3], SHAPE));
    }

    @Test
    void refusesSlotsOutsideTheLayer() {
        assertThrows(IllegalArgumentException.class,
                () -> KvPageCodec.encode(SHAPE, new int[2], new float[16], new float[16], 1, 2));
    }
}

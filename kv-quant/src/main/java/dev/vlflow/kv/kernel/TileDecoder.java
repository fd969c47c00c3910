package dev.vlflow.kv.kernel;

import dev.vlflow.kv.paged.LayerView;
import dev.vlflow.kv.paged.Page;
import dev.vlflow.kv.paged.PageGeometry;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector decoding of one quantized tile into an L1-resident float tile, bit-identical to the scalar
 * {@code TileCodec.decodeKeys} / {@code decodeValues} (same fp16 trick, same fma). The tile's packed fp16
 * parameters are first widened to float zeros and scales; then per L words of plane-packed codes and per plane:
 * shift, mask, convert, {@code fma(code, scale, zero)}, store. Needs the geometry of {@link #supports}.
 */
final class TileDecoder {

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;
    private static final int L = F.length();
    private static final float REBIAS = 0x1p112f;

    /** Per-call scratch: the float zeros and scales of the tile being decoded. */
    static final class Scratch {
        final float[] zeros;
        final float[] scales;

        Scratch(PageGeometry geo) {
            int n = Math.max(geo.shape().headDim(), geo.groupSize() * geo.shape().headDim() / geo.channelGroup());
            zeros = new float[n];
            scales = new float[n];
        }
    }

    private TileDecoder() {
    }

    static boolean supports(PageGeometry geo) {
        int d = geo.shape().headDim();
        int cg = geo.channelGroup();
        return I.length() == L && geo.groupSize() % L == 0 && d % L == 0 && cg % L == 0 && d % cg == 0
                && geo.tileElements() % (16 * L) == 0;
    }

    /** Keys of tile {@code t}, head {@code head}, into {@code tile[c * G + lane]}. */
    static void keys(LayerView view, int t, int head, float[] tile, Scratch scratch) {
        Page p = view.page(t);
        if (p == null) {
            view.gatherKeys(t, head, tile);
            return;
        }
        PageGeometry geo = view.geometry();
        int q = view.start(t);
        decode(p.bits(), p.keyCodes(), p.codeOffset(q, head), p.keyParams(), p.keyParamOffset(q, head),
                geo.keyParamsPerTile(p.bits()), geo.tileElements(), geo.groupSize(), tile, scratch);
    }

    /** Values of quantized tile {@code t}, head {@code head}, into {@code tile[lane * d + c]}. */
    static void values(LayerView view, int t, int head, float[] tile, Scratch scratch) {
        Page p = view.page(t);
        PageGeometry geo = view.geometry();
        int q = view.start(t);
        // value parameters run per (token, channel group); channelGroup divides headDim (supports)
        decode(p.bits(), p.valueCodes(), p.codeOffset(q, head), p.valueParams(), p.valueParamOffset(q, head),
                geo.valueParamsPerTile(p.bits()), geo.tileElements(), geo.channelGroup(), tile, scratch);
    }

    /**
     * Decodes {@code e} elements; element {@code i} uses parameter {@code i / run} (keys: one per channel row of G
     * lanes; values: one per run of channelGroup channels of a token).
     */
    private static void decode(int bits, byte[] codes, int off, int[] params, int pOff, int nParams, int e,
                               int run, float[] tile, Scratch scratch) {
        int n = e * bits / 32;
        int planes = 32 / bits;
        int mask = (int) ((1L << bits) - 1);
        if (bits == 16) {
            for (int p = 0; p < planes; p++) {
                for (int i0 = 0; i0 < n; i0 += L) {
                    IntVector raw = IntVector.fromByteArray(I, codes, off + 4 * i0, ByteOrder.LITTLE_ENDIAN);
                    half(raw.lanewise(VectorOperators.LSHR, 16 * p)).intoArray(tile, p * n + i0);
                }
            }
            return;
        }
        widen(params, pOff, nParams, scratch);
        if (n % run == 0) {
            decodeAligned(bits, codes, off, n, run, tile, scratch);
            return;
        }
        for (int p = 0; p < planes; p++) {
            int base = p * n;
            int idx = base / run;
            int rem = base % run;
            for (int i0 = 0; i0 < n; i0 += L) {
                FloatVector code = (FloatVector) IntVector.fromByteArray(I, codes, off + 4 * i0,
                                ByteOrder.LITTLE_ENDIAN)
                        .lanewise(VectorOperators.LSHR, p * bits).and(mask).convert(VectorOperators.I2F, 0);
                code.fma(FloatVector.broadcast(F, scratch.scales[idx]), FloatVector.broadcast(F, scratch.zeros[idx]))
                        .intoArray(tile, base + i0);
                rem += L;
                if (rem == run) {
                    rem = 0;
                    idx++;
                }
            }
        }
    }

    /**
     * The common case {@code n % run == 0}: each word chunk is loaded once and all its planes decoded; the
     * parameter of plane p at word i0 is {@code p·n/run + i0/run}.
     */
    private static void decodeAligned(int bits, byte[] codes, int off, int n, int run, float[] tile,
                                      Scratch scratch) {
        int planes = 32 / bits;
        int mask = (1 << bits) - 1;
        int perPlane = n / run;
        for (int i0 = 0; i0 < n; i0 += L) {
            IntVector raw = IntVector.fromByteArray(I, codes, off + 4 * i0, ByteOrder.LITTLE_ENDIAN);
            int idx = i0 / run;
            for (int p = 0; p < planes; p++, idx += perPlane) {
                FloatVector code = (FloatVector) raw.lanewise(VectorOperators.LSHR, p * bits).and(mask)
                        .convert(VectorOperators.I2F, 0);
                code.fma(FloatVector.broadcast(F, scratch.scales[idx]), FloatVector.broadcast(F, scratch.zeros[idx]))
                        .intoArray(tile, p * n + i0);
            }
        }
    }

    /** Packed fp16 (zero, scale) pairs into the scratch's float zeros and scales. */
    private static void widen(int[] params, int pOff, int n, Scratch scratch) {
        int k = 0;
        for (; k + L <= n; k += L) {
            IntVector v = IntVector.fromArray(I, params, pOff + k);
            half(v).intoArray(scratch.zeros, k);
            half(v.lanewise(VectorOperators.LSHR, 16)).intoArray(scratch.scales, k);
        }
        for (; k < n; k++) {
            int v = params[pOff + k];
            scratch.zeros[k] = dev.vlflow.kv.paged.TileCodec.zero(v);
            scratch.scales[k] = dev.vlflow.kv.paged.TileCodec.scale(v);
        }
    }

    /** The fp16 in the low 16 bits of each lane, as float (exact for finite halves, as {@code Fp16.toFloat}). */
    private static FloatVector half(IntVector h) {
        FloatVector mag = h.and(0x7fff).lanewise(VectorOperators.LSHL, 13).reinterpretAsFloats().mul(REBIAS);
        IntVector sign = h.and(0x8000).lanewise(VectorOperators.LSHL, 16);
        return mag.reinterpretAsInts().or(sign).reinterpretAsFloats();
    }
}

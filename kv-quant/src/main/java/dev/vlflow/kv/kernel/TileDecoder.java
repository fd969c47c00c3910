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
            decodeHalves(codes, off, n, tile);
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
     * A 16-bit tile: word i holds element i (low half) and element n + i (high half) as fp16, decoded exactly as
     * {@code Fp16.toFloat} (magnitude shifted into a float's exponent/mantissa and rebiased by 2^112, sign or-ed
     * back). Written out inline, here and in {@link #widen}: a vector passed through a call the JIT does not
     * inline falls back to the slow boxed implementation.
     */
    private static void decodeHalves(byte[] codes, int off, int n, float[] tile) {
        FloatVector rebias = FloatVector.broadcast(F, REBIAS);
        for (int i0 = 0; i0 < n; i0 += L) {
            IntVector raw = IntVector.fromByteArray(I, codes, off + 4 * i0, ByteOrder.LITTLE_ENDIAN);
            IntVector lo = raw.and(0x7fff).lanewise(VectorOperators.LSHL, 13);
            IntVector loSign = raw.and(0x8000).lanewise(VectorOperators.LSHL, 16);
            IntVector hi = raw.lanewise(VectorOperators.LSHR, 3).and(0x7fff << 13);
            IntVector hiSign = raw.and(0x80000000);
            lo.reinterpretAsFloats().mul(rebias).reinterpretAsInts().or(loSign).reinterpretAsFloats()
                    .intoArray(tile, i0);
            hi.reinterpretAsFloats().mul(rebias).reinterpretAsInts().or(hiSign).reinterpretAsFloats()
                    .intoArray(tile, n + i0);
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
        if (run % (2 * L) == 0) {
            // two word chunks share each plane's parameter: one pair of broadcasts per two vectors
            for (int i0 = 0; i0 < n; i0 += 2 * L) {
                IntVector raw = IntVector.fromByteArray(I, codes, off + 4 * i0, ByteOrder.LITTLE_ENDIAN);
                IntVector raw2 = IntVector.fromByteArray(I, codes, off + 4 * (i0 + L), ByteOrder.LITTLE_ENDIAN);
                int idx = i0 / run;
                for (int p = 0; p < planes; p++, idx += perPlane) {
                    FloatVector s = FloatVector.broadcast(F, scratch.scales[idx]);
                    FloatVector z = FloatVector.broadcast(F, scratch.zeros[idx]);
                    FloatVector code = (FloatVector) raw.lanewise(VectorOperators.LSHR, p * bits).and(mask)
                            .convert(VectorOperators.I2F, 0);
                    FloatVector code2 = (FloatVector) raw2.lanewise(VectorOperators.LSHR, p * bits).and(mask)
                            .convert(VectorOperators.I2F, 0);
                    code.fma(s, z).intoArray(tile, p * n + i0);
                    code2.fma(s, z).intoArray(tile, p * n + i0 + L);
                }
            }
            return;
        }
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
            // the bit math of decodeHalves: zero in the low half, scale in the high half of each int
            IntVector raw = IntVector.fromArray(I, params, pOff + k);
            IntVector lo = raw.and(0x7fff).lanewise(VectorOperators.LSHL, 13);
            IntVector loSign = raw.and(0x8000).lanewise(VectorOperators.LSHL, 16);
            IntVector hi = raw.lanewise(VectorOperators.LSHR, 3).and(0x7fff << 13);
            IntVector hiSign = raw.and(0x80000000);
            lo.reinterpretAsFloats().mul(REBIAS).reinterpretAsInts().or(loSign).reinterpretAsFloats()
                    .intoArray(scratch.zeros, k);
            hi.reinterpretAsFloats().mul(REBIAS).reinterpretAsInts().or(hiSign).reinterpretAsFloats()
                    .intoArray(scratch.scales, k);
        }
        for (; k < n; k++) {
            int v = params[pOff + k];
            scratch.zeros[k] = dev.vlflow.kv.paged.TileCodec.zero(v);
            scratch.scales[k] = dev.vlflow.kv.paged.TileCodec.scale(v);
        }
    }
}

package dev.vlflow.kv;

import dev.vlflow.kv.paged.PageGeometry;
import dev.vlflow.kv.paged.PagedLayer;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * The versioned byte format of a {@link PagedKvCache} (big-endian, {@link DataOutput}). Version 1:
 *
 * <pre>
 * header   magic 'V' 'L' 'K' 'V' | version u16 = 1
 *          shape    layers i32 | kvHeads i32 | headDim i32
 *          config   policy u8 (1 = uniform, 2 = mixed) | bits u8 (uniform) or high u8 | low u8 (mixed)
 *                   pageTokens i32 | groupSize i32 | fpWindow i32
 * layer ×layers
 *          pageCount i32
 *          page ×pageCount
 *              bits u8 | count i32 | positions i32×count
 *              live bitmap ⌈count/8⌉ bytes        bit j of byte i = token 8i+j
 *              keyCodes   u8 ×(count/G·H·E·b/8)    tiles [group][head], elements [c][t], plane-packed (TileCodec)
 *              keyParams  i16×(count/G·H·d·2)      fp16 (zero, scale) per channel; none at 16 bits
 *              valueCodes u8 ×(count/G·H·E·b/8)    tiles [group][head], elements [t][c], plane-packed
 *              valueParams i16×(count/G·H·G·⌈d/cg⌉·2) fp16 (zero, scale) per token and channel group
 *          openPage i32 ×4                          index of the page being filled at 16, 8, 4, 2 bits, or -1
 *          rows ×5                                  staging 16, 8, 4, 2 bits, then the fp32 window:
 *              count i32 | positions i32×count | targetBits u8×count
 *              keys f32×count·H·d | values f32×count·H·d
 * </pre>
 * (G = groupSize, H = kvHeads, d = headDim, E = G·d, cg = min(G, d), b = the page's bits; 16-bit tiles hold
 * fp16 little-endian.) A reader rejects any other magic or version with an {@link IOException} naming both.
 */
public final class PagedKvCacheFormat {

    public static final int MAGIC = 0x564c4b56; // "VLKV"
    public static final int VERSION = 1;

    private PagedKvCacheFormat() {
    }

    public static void write(PagedKvCache cache, DataOutput out) throws IOException {
        CacheShape shape = cache.shape();
        KvCacheConfig config = cache.config();
        out.writeInt(MAGIC);
        out.writeShort(VERSION);
        writeHeader(shape, config, false, out);
        for (int l = 0; l < shape.layers(); l++) {
            cache.layer(l).write(out);
        }
    }

    public static PagedKvCache read(DataInput in) throws IOException {
        int magic = in.readInt();
        if (magic != MAGIC) {
            throw new IOException(String.format("not a vlflow KV cache: magic 0x%08x, expected 0x%08x", magic, MAGIC));
        }
        int version = in.readUnsignedShort();
        if (version != VERSION) {
            throw new IOException("unsupported KV cache format version " + version + " (this build reads version "
                    + VERSION + ")");
        }
        Header h = readHeader(in, false, "KV cache");
        CacheShape shape = h.shape();
        KvCacheConfig config = h.config();
        PageGeometry geo = new PageGeometry(shape, config.pageTokens(), config.groupSize());
        PagedLayer[] layers = new PagedLayer[shape.layers()];
        for (int l = 0; l < layers.length; l++) {
            layers[l] = PagedLayer.read(in, geo, config.fpWindow());
        }
        return PagedKvCache.of(shape, config, layers);
    }

    /** Shape and config, the header shared with {@link PagedKvCacheParts}' tails. */
    record Header(CacheShape shape, KvCacheConfig config) {
    }

    /**
     * {@code layers i32 | kvHeads i32 | headDim i32 | policy u8 | bits u8 or high u8 | low u8 [| mass f64] |
     * pageTokens i32 | groupSize i32 | fpWindow i32}; the mixed policy's important mass only {@code withMass}
     * (tails; this format's version 1 has none).
     */
    static void writeHeader(CacheShape shape, KvCacheConfig config, boolean withMass, DataOutput out)
            throws IOException {
        out.writeInt(shape.layers());
        out.writeInt(shape.kvHeads());
        out.writeInt(shape.headDim());
        if (config.policy() instanceof PrecisionPolicy.Uniform u) {
            out.writeByte(1);
            out.writeByte(u.bits());
        } else if (config.policy() instanceof PrecisionPolicy.MixedByImportance m) {
            out.writeByte(2);
            out.writeByte(m.highBits());
            out.writeByte(m.lowBits());
            if (withMass) {
                out.writeDouble(m.importantMass());
            }
        } else {
            throw new IllegalStateException("paged cache with policy " + config.policy());
        }
        out.writeInt(config.pageTokens());
        out.writeInt(config.groupSize());
        out.writeInt(config.fpWindow());
    }

    /** Reads {@link #writeHeader}'s bytes; {@code what} names the blob in errors. */
    static Header readHeader(DataInput in, boolean withMass, String what) throws IOException {
        try {
            CacheShape shape = new CacheShape(in.readInt(), in.readInt(), in.readInt());
            int tag = in.readUnsignedByte();
            PrecisionPolicy policy = switch (tag) {
                case 1 -> new PrecisionPolicy.Uniform(in.readUnsignedByte());
                case 2 -> withMass
                        ? new PrecisionPolicy.MixedByImportance(in.readUnsignedByte(), in.readUnsignedByte(),
                                in.readDouble())
                        : new PrecisionPolicy.MixedByImportance(in.readUnsignedByte(), in.readUnsignedByte());
                default -> throw new IOException("unknown precision policy tag " + tag);
            };
            return new Header(shape, new KvCacheConfig(policy, in.readInt(), in.readInt(), in.readInt()));
        } catch (IllegalArgumentException e) {
            throw new IOException("invalid " + what + " header: " + e.getMessage(), e);
        }
    }
}

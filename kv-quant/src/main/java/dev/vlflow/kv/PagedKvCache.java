package dev.vlflow.kv;

import dev.vlflow.kv.kernel.Kernels;
import dev.vlflow.kv.kernel.PagedAttentionKernel;
import dev.vlflow.kv.kernel.PagedAttentionScalar;
import dev.vlflow.kv.paged.LayerView;
import dev.vlflow.kv.paged.Page;
import dev.vlflow.kv.paged.PageGeometry;
import dev.vlflow.kv.paged.PagedLayer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInput;
import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The paged mixed-precision KV cache: per layer a page table of quantized pages (keys per channel over groups
 * of G tokens, values per token over groups of G channels, fp16 zero and scale, 16/8/4/2 bits per token), the
 * most recent {@code fpWindow} tokens in fp32, and fused attention kernels that read the pages directly.
 * See {@link PagedLayer} for slot order, how precisions mix (regrouping, ALGORITHMS.md §7.3 option b) and when
 * tokens are quantized; {@link PagedKvCacheFormat} for the byte layout.
 *
 * <p><b>Importance</b> is set by the caller per token, after appending and usually right after the attention
 * call that measured it ({@link AttentionQuery#keyMass()}): {@link #setImportance} maps it through the policy,
 * {@link #setPrecision} sets bits directly. Tokens still in the fp32 window (the usual case: importance set
 * before the next append) change precision at no cost and no extra error; tokens already quantized are
 * requantized (demotion 4→2 adds the 2-bit error of the 4-bit values).
 *
 * <p>Not thread-safe. {@link #fork()} shares pages and buffers copy-on-write.
 */
public final class PagedKvCache implements KvCache {

    private final CacheShape shape;
    private final KvCacheConfig config;
    private final PrecisionPolicy.Quantized policy;
    private final PagedLayer[] layers;

    public PagedKvCache(CacheShape shape, KvCacheConfig config) {
        this(shape, config, emptyLayers(shape, config));
    }

    private PagedKvCache(CacheShape shape, KvCacheConfig config, PagedLayer[] layers) {
        if (!(config.policy() instanceof PrecisionPolicy.Quantized q)) {
            throw new IllegalArgumentException("a paged cache needs a quantized policy, got " + config.policy());
        }
        this.shape = shape;
        this.config = config;
        this.policy = q;
        this.layers = layers;
    }

    private static PagedLayer[] emptyLayers(CacheShape shape, KvCacheConfig config) {
        PageGeometry geo = new PageGeometry(shape, config.pageTokens(), config.groupSize());
        PagedLayer[] layers = new PagedLayer[shape.layers()];
        for (int i = 0; i < layers.length; i++) {
            layers[i] = new PagedLayer(geo, config.fpWindow());
        }
        return layers;
    }

    @Override
    public CacheShape shape() {
        return shape;
    }

    public KvCacheConfig config() {
        return config;
    }

    @Override
    public int size(int layer) {
        return layers[layer].size();
    }

    /**
     * Appends tokens at the policy's default precision (mixed: high until {@link #setImportance}). First moves
     * window tokens beyond the most recent {@code fpWindow} towards their pages, so an append of 0 tokens just
     * does that.
     */
    @Override
    public void append(int layer, float[] keys, float[] values, int[] positions, int count) {
        shape.checkAppend(keys, values, positions, count);
        layers[layer].append(keys, values, positions, count, policy.defaultBits());
    }

    @Override
    public void attend(int layer, AttentionQuery query, float[] out) {
        LayerView view = layers[layer].view();
        if (Kernels.vectorized()) {
            PagedAttentionKernel.attend(query, view, out);
        } else {
            PagedAttentionScalar.attend(query, view, out);
        }
    }

    /**
     * Marks each slot of a layer important or not and gives it the policy's precision for that.
     *
     * @param important [size(layer)] in slot order
     */
    public void setImportance(int layer, boolean[] important) {
        if (important.length != size(layer)) {
            throw new IllegalArgumentException("importance for " + important.length + " slots, layer " + layer
                    + " holds " + size(layer));
        }
        List<Integer> high = new ArrayList<>();
        List<Integer> low = new ArrayList<>();
        for (int s = 0; s < important.length; s++) {
            (important[s] ? high : low).add(s);
        }
        int highBits = policy.bitsFor(true);
        int lowBits = policy.bitsFor(false);
        // both groups are resolved against the slot order before the call
        int[] order = toArray(high, low);
        int[] bits = new int[order.length];
        for (int i = 0; i < order.length; i++) {
            bits[i] = i < high.size() ? highBits : lowBits;
        }
        layers[layer].setPrecision(order, bits);
    }

    @Override
    public java.util.OptionalDouble importantMass() {
        return policy instanceof PrecisionPolicy.MixedByImportance m
                ? java.util.OptionalDouble.of(m.importantMass()) : java.util.OptionalDouble.empty();
    }

    @Override
    public void markImportance(int layer, boolean[] important) {
        int size = size(layer);
        if (important.length > size) {
            throw new IllegalArgumentException("importance for " + important.length + " slots, layer " + layer
                    + " holds " + size);
        }
        int highBits = policy.bitsFor(true);
        int lowBits = policy.bitsFor(false);
        if (highBits == lowBits && highBits == policy.defaultBits()) {
            return; // every token already has its precision
        }
        int first = size - important.length;
        int[] slots = new int[important.length];
        int[] bits = new int[important.length];
        for (int i = 0; i < important.length; i++) {
            slots[i] = first + i;
            bits[i] = important[i] ? highBits : lowBits;
        }
        layers[layer].setPrecision(slots, bits);
    }

    @Override
    public void demote(int layer, int[] slots) {
        if (policy instanceof PrecisionPolicy.MixedByImportance m && slots.length > 0) {
            setPrecision(layer, slots, m.lowBits());
        }
    }

    @Override
    public int unsealed(int layer) {
        return layers[layer].unsealed();
    }

    @Override
    public void seal(int layer) {
        layers[layer].seal();
    }

    /** Sets the precision (16, 8, 4 or 2 bits) of the given slots of a layer. */
    public void setPrecision(int layer, int[] slots, int bits) {
        int[] all = new int[slots.length];
        java.util.Arrays.fill(all, bits);
        layers[layer].setPrecision(slots, all);
    }

    /** Drops the given slots of a layer (eviction). */
    @Override
    public void evict(int layer, int[] slots) {
        layers[layer].evict(slots);
    }

    /** Keeps the first {@code tokens} slots of one layer. */
    public void truncate(int layer, int tokens) {
        layers[layer].truncate(tokens);
    }

    @Override
    public void truncate(int tokens) {
        for (int l = 0; l < layers.length; l++) {
            if (tokens < 0 || tokens > layers[l].size()) {
                throw new IllegalArgumentException("cannot truncate layer " + l + " of " + layers[l].size()
                        + " tokens to " + tokens);
            }
        }
        for (PagedLayer l : layers) {
            l.truncate(tokens);
        }
    }

    @Override
    public PagedKvCache fork() {
        PagedLayer[] copy = new PagedLayer[layers.length];
        for (int i = 0; i < layers.length; i++) {
            copy[i] = layers[i].fork();
        }
        return new PagedKvCache(shape, config, copy);
    }

    /**
     * Bytes held: page codes, fp16 parameters, positions and live bits, plus fp32 window and staging tokens.
     * Pages shared with a fork are counted by both caches.
     */
    @Override
    public long bytes() {
        long b = 0;
        for (PagedLayer l : layers) {
            b += l.bytes();
        }
        return b;
    }

    /** Original position of each slot of a layer. */
    @Override
    public int[] positions(int layer) {
        return layers[layer].positions();
    }

    @Override
    public float[] keys(int layer) {
        return dequantize(layer).keys();
    }

    @Override
    public float[] values(int layer) {
        return dequantize(layer).values();
    }

    /** Precision each slot of a layer is stored at: 32 (fp32 window or staging), 16, 8, 4 or 2. */
    public int[] storedBits(int layer) {
        return layers[layer].storedBits();
    }

    /** A snapshot of one layer's page table. */
    public LayerLayout layout(int layer) {
        PagedLayer l = layers[layer];
        List<LayerLayout.PageInfo> pages = new ArrayList<>();
        for (Page p : l.pages()) {
            int[] live = new int[p.liveCount()];
            for (int i = 0, k = 0; i < p.count(); i++) {
                if (p.live(i)) {
                    live[k++] = p.position(i);
                }
            }
            pages.add(new LayerLayout.PageInfo(p.bits(), p.count(), p.liveCount(), live));
        }
        int[] staging = new int[4];
        int[] bits = {16, 8, 4, 2};
        for (int i = 0; i < 4; i++) {
            staging[i] = l.staging(bits[i]).count();
        }
        return new LayerLayout(pages, staging, l.window().count());
    }

    /**
     * The dequantized contents of one layer in slot order, for references and tests (this is the float copy the
     * kernels avoid).
     *
     * @return keys and values [size, kvHeads, headDim] and positions [size]
     */
    public DequantizedLayer dequantize(int layer) {
        LayerView view = layers[layer].view();
        int size = view.size();
        int d = shape.headDim();
        int g = config.groupSize();
        int w = shape.tokenWidth();
        float[] keys = new float[size * w];
        float[] values = new float[size * w];
        float[] kt = new float[g * d];
        float[] vt = new float[g * d];
        int[] laneOfSlot = view.laneOfSlot();
        for (int h = 0; h < shape.kvHeads(); h++) {
            int decoded = -1;
            for (int s = 0; s < size; s++) {
                int t = laneOfSlot[s] / g;
                int lane = laneOfSlot[s] % g;
                if (t != decoded) {
                    view.decodeKeys(t, h, kt);
                    view.decodeValues(t, h, vt);
                    decoded = t;
                }
                for (int c = 0; c < d; c++) {
                    keys[s * w + h * d + c] = kt[c * g + lane];
                    values[s * w + h * d + c] = vt[lane * d + c];
                }
            }
        }
        return new DequantizedLayer(keys, values, view.slotPositions().clone());
    }

    /**
     * @param keys      [size, kvHeads, headDim]
     * @param values    [size, kvHeads, headDim]
     * @param positions [size]
     */
    public record DequantizedLayer(float[] keys, float[] values, int[] positions) {
    }

    /** Writes the cache in the versioned format of {@link PagedKvCacheFormat}. */
    public void write(DataOutput out) throws IOException {
        PagedKvCacheFormat.write(this, out);
    }

    public static PagedKvCache read(DataInput in) throws IOException {
        return PagedKvCacheFormat.read(in);
    }

    public byte[] toBytes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Reads a cache written by {@link #toBytes}; rejects another format version with a clear message. */
    public static PagedKvCache fromBytes(byte[] bytes) {
        try {
            return read(new DataInputStream(new ByteArrayInputStream(bytes)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The tiles of one layer as the kernels walk them (for benchmarks and kernel tests). */
    public LayerView view(int layer) {
        return layers[layer].view();
    }

    PagedLayer layer(int layer) {
        return layers[layer];
    }

    static PagedKvCache of(CacheShape shape, KvCacheConfig config, PagedLayer[] layers) {
        return new PagedKvCache(shape, config, layers);
    }

    private static int[] toArray(List<Integer> a, List<Integer> b) {
        int[] out = new int[a.size() + b.size()];
        int i = 0;
        for (int x : a) {
            out[i++] = x;
        }
        for (int x : b) {
            out[i++] = x;
        }
        return out;
    }
}

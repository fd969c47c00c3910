package dev.vlflow.kv.paged;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The cache of one layer: a page table of quantized pages, four staging buffers (one per precision) where tokens
 * wait in fp32 until a whole key group of that precision is complete, and the fp32 window of the most recent
 * tokens.
 *
 * <p><b>Slot order</b> (what {@code size}, masks, key mass and slot arguments refer to): the live tokens of the
 * pages in page-table order, then staging 16, 8, 4, 2 bits, then the window in arrival order. Slot numbers are
 * stable until the next mutation ({@code append}, {@code setPrecision}, {@code evict}, {@code truncate}); the
 * newest tokens are always the last slots.
 *
 * <p><b>Precision mixing in a key group: option (b) of ALGORITHMS.md §7.3, regrouping.</b> A page and each key
 * group in it have exactly one precision. Tokens leave the window in arrival order and go to the staging buffer
 * of their own precision, so important and unimportant tokens end up in different groups and pages; attention
 * is order-invariant once RoPE is applied and masks use the stored positions, so the permutation changes
 * nothing.
 *
 * <p><b>When tokens are quantized</b>: at the start of {@link #append}, window tokens beyond the most recent
 * {@code fpWindow} are moved out (then the new tokens enter the window). So importance set after an attention
 * call (ZipVL's probe-query scores) reaches tokens while they are still fp32, and quantization uses it at no
 * extra error. Re-precisioning a token that is already quantized dequantizes it and requantizes it in a new group.
 */
public final class PagedLayer {

    /** Precisions of the staging buffers, in slot order. */
    static final int[] CLASS_BITS = {16, 8, 4, 2};

    private final PageGeometry geo;
    private final int fpWindow;
    private final ArrayList<Page> pages;
    private final Page[] open;          // [class] the page of that precision still being filled, or null
    private final TokenRows[] staging;  // [class]
    private TokenRows window;
    private final AtomicLong nextPageId; // ids of pages and fp32 rows; shared with forks, so never given twice

    public PagedLayer(PageGeometry geo, int fpWindow) {
        this(geo, fpWindow, new ArrayList<>(), new Page[4], newStaging(geo), new TokenRows(geo.shape().tokenWidth()),
                new AtomicLong());
    }

    PagedLayer(PageGeometry geo, int fpWindow, ArrayList<Page> pages, Page[] open, TokenRows[] staging,
               TokenRows window, AtomicLong nextPageId) {
        this.nextPageId = nextPageId;
        this.geo = geo;
        this.fpWindow = fpWindow;
        this.pages = pages;
        this.open = open;
        this.staging = staging;
        this.window = window;
    }

    private static TokenRows[] newStaging(PageGeometry geo) {
        TokenRows[] s = new TokenRows[4];
        for (int i = 0; i < 4; i++) {
            s[i] = new TokenRows(geo.shape().tokenWidth());
        }
        return s;
    }

    static int classOf(int bits) {
        for (int i = 0; i < CLASS_BITS.length; i++) {
            if (CLASS_BITS[i] == bits) {
                return i;
            }
        }
        throw new IllegalArgumentException("precision must be 16, 8, 4 or 2 bits, got " + bits);
    }

    public PageGeometry geometry() {
        return geo;
    }

    public int size() {
        int n = window.count();
        for (TokenRows s : staging) {
            n += s.count();
        }
        for (Page p : pages) {
            n += p.liveCount();
        }
        return n;
    }

    /** The page table (read only). */
    public List<Page> pages() {
        return List.copyOf(pages);
    }

    /** Staging buffer of {@code bits}. */
    public TokenRows staging(int bits) {
        return staging[classOf(bits)];
    }

    public TokenRows window() {
        return window;
    }

    /**
     * Moves window tokens beyond the most recent {@code fpWindow} to staging, then appends {@code count} tokens to
     * the window, each with the target precision {@code bits}.
     *
     * @param keys      [count, kvHeads, headDim]
     * @param values    [count, kvHeads, headDim]
     * @param positions [count]
     */
    public void append(float[] keys, float[] values, int[] positions, int count, int bits) {
        classOf(bits);
        writable();
        int excess = window.count() - fpWindow;
        for (int i = 0; i < excess; i++) {
            staging[classOf(window.bits(i))].appendFrom(window, i);
        }
        if (excess > 0) {
            window.removeFirst(excess);
        }
        packGroups();
        for (int t = 0; t < count; t++) {
            window.append(keys, values, t, positions[t], bits, nextPageId.getAndIncrement());
        }
    }

    /**
     * Sets the precision of the given slots ({@code bits[i]} for {@code slots[i]}). Window tokens only change their
     * target; staging tokens move to the staging buffer of the new precision; quantized tokens of another
     * precision are dequantized, marked dead in their page and requantized through staging.
     */
    public void setPrecision(int[] slots, int[] bits) {
        if (bits.length != slots.length) {
            throw new IllegalArgumentException(slots.length + " slots but " + bits.length + " precisions");
        }
        for (int b : bits) {
            classOf(b);
        }
        SlotLocation[] at = locate(slots);
        TokenRows[] moved = newStaging(geo);
        float[] k = new float[geo.shape().tokenWidth()];
        float[] v = new float[geo.shape().tokenWidth()];
        List<SlotLocation> removals = new ArrayList<>();
        for (int i = 0; i < at.length; i++) {
            SlotLocation l = at[i];
            int cls = classOf(bits[i]);
            TokenRows r = l.rows();
            if (r == window) {
                window.setBits(l.index(), bits[i]);
            } else if (r != null) {
                if (r != staging[cls]) {
                    moved[cls].append(r.keys(), r.values(), l.index(), r.position(l.index()), bits[i], r.id(l.index()));
                    removals.add(l);
                }
            } else if (pages.get(l.page()).bits() != bits[i]) {
                Page p = pages.get(l.page());
                p.dequantize(l.index(), k, v);
                moved[cls].append(k, v, 0, p.position(l.index()), bits[i], nextPageId.getAndIncrement());
                removals.add(l);
            }
        }
        remove(removals);
        for (int c = 0; c < 4; c++) {
            for (int i = 0; i < moved[c].count(); i++) {
                staging[c].appendFrom(moved[c], i);
            }
        }
        packGroups();
    }

    /** Tokens held in fp32 (staging and window): the newest slots. */
    public int unsealed() {
        int n = window.count();
        for (TokenRows s : staging) {
            n += s.count();
        }
        return n;
    }

    /**
     * Quantizes every fp32 token at its target precision: the window moves to staging, and a staging buffer
     * holding part of a key group is completed with copies of its last token (same position), which are
     * quantized with the group and then marked dead, so they are never seen and do not widen the group's range.
     * Slot order changes (the sealed tokens join the pages).
     */
    public void seal() {
        writable();
        for (int i = 0; i < window.count(); i++) {
            staging[classOf(window.bits(i))].appendFrom(window, i);
        }
        window.removeFirst(window.count());
        int g = geo.groupSize();
        int[] pads = new int[4];
        for (int c = 0; c < 4; c++) {
            TokenRows r = staging[c];
            int partial = r.count() % g;
            if (partial > 0) {
                int last = r.count() - 1;
                pads[c] = g - partial;
                for (int i = 0; i < pads[c]; i++) {
                    r.append(r.keys(), r.values(), last, r.position(last), CLASS_BITS[c], nextPageId.getAndIncrement());
                }
            }
        }
        packGroups();
        for (int c = 0; c < 4; c++) {
            if (pads[c] > 0) {
                Page p = writablePage(pages.indexOf(open[c]));
                for (int i = p.count() - pads[c]; i < p.count(); i++) {
                    p.kill(i);
                }
            }
        }
    }

    /** Drops the given slots. */
    public void evict(int[] slots) {
        SlotLocation[] at = locate(slots);
        writable();
        remove(Arrays.asList(at));
    }

    /** Keeps the first {@code tokens} slots. */
    public void truncate(int tokens) {
        int size = size();
        if (tokens < 0 || tokens > size) {
            throw new IllegalArgumentException("cannot truncate a layer of " + size + " tokens to " + tokens);
        }
        int[] slots = new int[size - tokens];
        for (int i = 0; i < slots.length; i++) {
            slots[i] = tokens + i;
        }
        long next = nextPageId.get();
        long giveBack = newestUnsharedRows(slots.length, next);
        evict(slots);
        // nothing else can hold these ids (no fork since, none allocated since): the layer is then exactly as if
        // it had never appended the dropped tokens (a rejected speculative draft leaves no trace)
        if (giveBack > 0) {
            nextPageId.compareAndSet(next, next - giveBack);
        }
    }

    /**
     * {@code n} when the last {@code n} slots are window rows holding the {@code n} most recently allocated ids
     * and no fork shares the window, else 0.
     */
    private long newestUnsharedRows(int n, long next) {
        if (n == 0 || n > window.count() || window.shared) {
            return 0;
        }
        for (int i = 0; i < n; i++) {
            if (window.id(window.count() - n + i) != next - n + i) {
                return 0;
            }
        }
        return n;
    }

    /** Precision each slot is stored at now: 32 for fp32 (window and staging), else the page's bits. */
    public int[] storedBits() {
        int[] out = new int[size()];
        int s = 0;
        for (Page p : pages) {
            for (int i = 0; i < p.count(); i++) {
                if (p.live(i)) {
                    out[s++] = p.bits();
                }
            }
        }
        for (TokenRows r : staging) {
            for (int i = 0; i < r.count(); i++) {
                out[s++] = 32;
            }
        }
        for (int i = 0; i < window.count(); i++) {
            out[s++] = 32;
        }
        return out;
    }

    /** Original position of each slot. */
    public int[] positions() {
        int[] out = new int[size()];
        int s = 0;
        for (Page p : pages) {
            for (int i = 0; i < p.count(); i++) {
                if (p.live(i)) {
                    out[s++] = p.position(i);
                }
            }
        }
        for (TokenRows r : rowsInOrder()) {
            for (int i = 0; i < r.count(); i++) {
                out[s++] = r.position(i);
            }
        }
        return out;
    }

    /** The fp32 buffers in slot order: staging 16, 8, 4, 2 bits, then the window. */
    TokenRows[] rowsInOrder() {
        return new TokenRows[] {staging[0], staging[1], staging[2], staging[3], window};
    }

    /** Bytes held by pages (codes, parameters, positions, live bits) and fp32 buffers. */
    public long bytes() {
        long b = window.bytes();
        for (TokenRows r : staging) {
            b += r.bytes();
        }
        for (Page p : pages) {
            b += p.bytes();
        }
        return b;
    }

    /** A copy sharing every page and buffer until one side writes. */
    public PagedLayer fork() {
        for (Page p : pages) {
            p.shared = true;
        }
        for (TokenRows r : staging) {
            r.shared = true;
        }
        window.shared = true;
        return new PagedLayer(geo, fpWindow, new ArrayList<>(pages), open.clone(), staging.clone(), window,
                nextPageId);
    }

    /** The tiles the kernels walk, in slot order. */
    public LayerView view() {
        return LayerView.of(this, pages);
    }

    private void writable() {
        for (int i = 0; i < 4; i++) {
            if (staging[i].shared) {
                staging[i] = staging[i].copy();
            }
        }
        if (window.shared) {
            window = window.copy();
        }
    }

    private Page writablePage(int index) {
        Page p = pages.get(index);
        if (!p.shared) {
            return p;
        }
        Page copy = p.copy();
        pages.set(index, copy);
        for (int c = 0; c < 4; c++) {
            if (open[c] == p) {
                open[c] = copy;
            }
        }
        return copy;
    }

    /** Quantizes every complete group waiting in staging into the open page of its precision. */
    private void packGroups() {
        for (int c = 0; c < 4; c++) {
            while (staging[c].count() >= geo.groupSize()) {
                Page p = open[c];
                int index = p == null ? -1 : pages.indexOf(p);
                if (p == null || p.full() || index < 0) {
                    p = Page.empty(geo, CLASS_BITS[c], nextPageId.getAndIncrement());
                    pages.add(p);
                    open[c] = p;
                } else {
                    p = writablePage(index);
                }
                p.appendGroup(staging[c]);
                staging[c].removeFirst(geo.groupSize());
            }
        }
    }

    /** Removes the located tokens: page tokens die, buffer tokens are cut out; emptied pages leave the table. */
    private void remove(List<SlotLocation> at) {
        List<SlotLocation> rows = new ArrayList<>();
        for (SlotLocation l : at) {
            if (l.rows() == null) {
                writablePage(l.page()).kill(l.index());
            } else {
                rows.add(l);
            }
        }
        rows.sort((a, b) -> Integer.compare(b.index(), a.index()));
        for (SlotLocation l : rows) {
            l.rows().removeRange(l.index(), l.index() + 1);
        }
        for (int i = pages.size() - 1; i >= 0; i--) {
            Page p = pages.get(i);
            if (p.liveCount() == 0) {
                pages.remove(i);
                int c = classOf(p.bits());
                if (open[c] == p) {
                    open[c] = null;
                }
            }
        }
    }

    /** Locations of the given slots, aligned with the argument; makes the fp32 buffers writable. */
    private SlotLocation[] locate(int[] slots) {
        Integer[] order = SlotLocation.order(slots, size());
        writable();
        return SlotLocation.locate(pages, rowsInOrder(), slots, order);
    }

    /** Page table, open page per precision, staging buffers and window; see {@code PagedKvCacheFormat}. */
    public void write(DataOutput out) throws IOException {
        LayerFormat.write(out, pages, open, staging, window);
    }

    public static PagedLayer read(DataInput in, PageGeometry geo, int fpWindow) throws IOException {
        return LayerFormat.read(in, geo, fpWindow);
    }

    /** The window size this layer keeps in fp32. */
    public int fpWindow() {
        return fpWindow;
    }

    /** The id the next new page or fp32 row gets. */
    long nextPageId() {
        return nextPageId.get();
    }

    /** The open page of each precision class (16, 8, 4, 2 bits), or null; read only. */
    Page[] openPages() {
        return open.clone();
    }

    /** Staging buffers 16, 8, 4, 2 bits; read only. */
    TokenRows[] stagingRows() {
        return staging.clone();
    }

    /** The live pages of the table, by reference (no copy). */
    List<Page> pageTable() {
        return pages;
    }
}

package dev.vlflow.kv.paged;

import java.util.List;

/**
 * One layer as the attention kernels walk it, built per attention call: a sequence of tiles of up to {@code G}
 * token lanes in slot order — first one tile per key group of each page, then the fp32 buffers cut into tiles of
 * {@code G} rows. Lane {@code l} of tile {@code t} is global lane {@code t·G + l}; dead page tokens and the unused
 * lanes of a short fp32 tile have no slot.
 */
public final class LayerView {

    private final PageGeometry geo;
    private final int size;
    private final Page[] tilePage;      // [tiles] the page of a quantized tile, else null
    private final TokenRows[] tileRows; // [tiles] the buffer of an fp32 tile, else null
    private final int[] tileStart;      // [tiles] group index in the page, or first row in the buffer
    private final int[] tileLanes;      // [tiles] lanes in use
    private final int[] laneOfSlot;     // [size] global lane of each slot
    private final int[] slotPositions;  // [size] original position of each slot

    private LayerView(PageGeometry geo, int size, Page[] tilePage, TokenRows[] tileRows, int[] tileStart,
                      int[] tileLanes, int[] laneOfSlot, int[] slotPositions) {
        this.geo = geo;
        this.size = size;
        this.tilePage = tilePage;
        this.tileRows = tileRows;
        this.tileStart = tileStart;
        this.tileLanes = tileLanes;
        this.laneOfSlot = laneOfSlot;
        this.slotPositions = slotPositions;
    }

    static LayerView of(PagedLayer layer, List<Page> pages) {
        int g = layer.geometry().groupSize();
        TokenRows[] rows = layer.rowsInOrder();
        int tiles = 0;
        int size = 0;
        for (Page p : pages) {
            tiles += p.count() / g;
            size += p.liveCount();
        }
        for (TokenRows r : rows) {
            tiles += (r.count() + g - 1) / g;
            size += r.count();
        }
        Page[] tilePage = new Page[tiles];
        TokenRows[] tileRows = new TokenRows[tiles];
        int[] tileStart = new int[tiles];
        int[] tileLanes = new int[tiles];
        int[] laneOfSlot = new int[size];
        int[] slotPositions = new int[size];
        int t = 0;
        int slot = 0;
        for (Page p : pages) {
            for (int q = 0; q < p.count() / g; q++, t++) {
                tilePage[t] = p;
                tileStart[t] = q;
                tileLanes[t] = g;
                for (int l = 0; l < g; l++) {
                    if (p.live(q * g + l)) {
                        laneOfSlot[slot] = t * g + l;
                        slotPositions[slot++] = p.position(q * g + l);
                    }
                }
            }
        }
        for (TokenRows r : rows) {
            for (int start = 0; start < r.count(); start += g, t++) {
                tileRows[t] = r;
                tileStart[t] = start;
                tileLanes[t] = Math.min(g, r.count() - start);
                for (int l = 0; l < tileLanes[t]; l++) {
                    laneOfSlot[slot] = t * g + l;
                    slotPositions[slot++] = r.position(start + l);
                }
            }
        }
        return new LayerView(layer.geometry(), size, tilePage, tileRows, tileStart, tileLanes, laneOfSlot,
                slotPositions);
    }

    public PageGeometry geometry() {
        return geo;
    }

    public int size() {
        return size;
    }

    public int tiles() {
        return tilePage.length;
    }

    /** The page of tile {@code t}, or null for an fp32 tile. */
    public Page page(int t) {
        return tilePage[t];
    }

    /** The fp32 buffer of tile {@code t}, or null for a quantized tile. */
    public TokenRows rows(int t) {
        return tileRows[t];
    }

    /** Key group of a quantized tile in its page, or the first buffer row of an fp32 tile. */
    public int start(int t) {
        return tileStart[t];
    }

    public int lanes(int t) {
        return tileLanes[t];
    }

    /** [size] global lane of each slot, increasing. Read only. */
    public int[] laneOfSlot() {
        return laneOfSlot;
    }

    /** [size] original position of each slot. Read only. */
    public int[] slotPositions() {
        return slotPositions;
    }

    /** Scalar decode of the keys of tile {@code t}, head {@code head}, into {@code tile[c * G + lane]}. */
    public void decodeKeys(int t, int head, float[] tile) {
        int g = geo.groupSize();
        int d = geo.shape().headDim();
        Page p = tilePage[t];
        if (p != null) {
            TileCodec.decodeKeys(p.bits(), p.keyCodes(), p.codeOffset(tileStart[t], head), p.keyParams(),
                    p.keyParamOffset(tileStart[t], head), g, d, tile);
            return;
        }
        gatherKeys(t, head, tile);
    }

    /** Scalar decode of the values of tile {@code t}, head {@code head}, into {@code tile[lane * d + c]}. */
    public void decodeValues(int t, int head, float[] tile) {
        int g = geo.groupSize();
        int d = geo.shape().headDim();
        Page p = tilePage[t];
        if (p != null) {
            TileCodec.decodeValues(p.bits(), p.valueCodes(), p.codeOffset(tileStart[t], head), p.valueParams(),
                    p.valueParamOffset(tileStart[t], head), g, d, geo.channelGroup(), tile);
            return;
        }
        TokenRows r = tileRows[t];
        int w = geo.shape().tokenWidth();
        java.util.Arrays.fill(tile, 0f);
        for (int l = 0; l < tileLanes[t]; l++) {
            System.arraycopy(r.values(), (tileStart[t] + l) * w + head * d, tile, l * d, d);
        }
    }

    /** Transposes the keys of an fp32 tile into {@code tile[c * G + lane]}; unused lanes are zero. */
    public void gatherKeys(int t, int head, float[] tile) {
        int g = geo.groupSize();
        int d = geo.shape().headDim();
        int w = geo.shape().tokenWidth();
        TokenRows r = tileRows[t];
        java.util.Arrays.fill(tile, 0f);
        float[] keys = r.keys();
        for (int l = 0; l < tileLanes[t]; l++) {
            int row = (tileStart[t] + l) * w + head * d;
            for (int c = 0; c < d; c++) {
                tile[c * g + l] = keys[row + c];
            }
        }
    }
}

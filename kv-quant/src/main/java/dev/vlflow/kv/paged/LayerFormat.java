package dev.vlflow.kv.paged;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.concurrent.atomic.AtomicLong;

/** Byte form of one {@link PagedLayer}; the whole layout is drawn in {@code PagedKvCacheFormat}. */
final class LayerFormat {

    private LayerFormat() {
    }

    /**
     * {@code pageCount i32 | page ×pageCount | openPage i32 ×4 | rows ×5 (staging 16, 8, 4, 2 bits, window)}.
     */
    static void write(DataOutput out, ArrayList<Page> pages, Page[] open, TokenRows[] staging, TokenRows window)
            throws IOException {
        out.writeInt(pages.size());
        for (Page p : pages) {
            p.write(out);
        }
        for (Page p : open) {
            out.writeInt(p == null ? -1 : pages.indexOf(p));
        }
        for (TokenRows r : staging) {
            r.write(out);
        }
        window.write(out);
    }

    /** Reads {@link #write}'s bytes; pages get ids 0..n-1, then the fp32 rows the next ids in slot order. */
    static PagedLayer read(DataInput in, PageGeometry geo, int fpWindow) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            throw new IOException("negative page count " + n);
        }
        ArrayList<Page> pages = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            pages.add(Page.read(in, geo, i));
        }
        Page[] open = new Page[4];
        for (int c = 0; c < 4; c++) {
            int index = in.readInt();
            if (index < -1 || index >= n) {
                throw new IOException("open page index " + index + " of " + n + " pages");
            }
            open[c] = index < 0 ? null : pages.get(index);
        }
        TokenRows[] staging = new TokenRows[4];
        for (int c = 0; c < 4; c++) {
            staging[c] = TokenRows.read(in, geo.shape().tokenWidth());
        }
        TokenRows window = TokenRows.read(in, geo.shape().tokenWidth());
        AtomicLong ids = new AtomicLong(n);
        for (TokenRows r : staging) {
            r.numberRows(ids);
        }
        window.numberRows(ids);
        return new PagedLayer(geo, fpWindow, pages, open, staging, window, ids);
    }
}

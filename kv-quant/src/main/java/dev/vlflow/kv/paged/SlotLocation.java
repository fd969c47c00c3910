package dev.vlflow.kv.paged;

import java.util.Arrays;
import java.util.List;

/**
 * Where a slot of a {@link PagedLayer} lives: token {@code index} of page {@code page} ({@code rows == null}) or row
 * {@code index} of an fp32 buffer ({@code page == -1}). Slot order is the layer's: live page tokens in page-table
 * order, then the fp32 buffers in order.
 */
record SlotLocation(int page, TokenRows rows, int index) {

    /**
     * Indices into {@code slots} in increasing slot order.
     *
     * @throws IllegalArgumentException a slot out of {@code [0, size)} or repeated
     */
    static Integer[] order(int[] slots, int size) {
        Integer[] order = new Integer[slots.length];
        for (int i = 0; i < slots.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Integer.compare(slots[a], slots[b]));
        for (int i = 0; i < order.length; i++) {
            int s = slots[order[i]];
            if (s < 0 || s >= size || (i > 0 && s == slots[order[i - 1]])) {
                throw new IllegalArgumentException("slot " + s + " is out of range or repeated (layer of " + size
                        + " tokens)");
            }
        }
        return order;
    }

    /** Locations of {@code slots} (checked and sorted by {@link #order}), aligned with the argument. */
    static SlotLocation[] locate(List<Page> pages, TokenRows[] rowsInOrder, int[] slots, Integer[] order) {
        SlotLocation[] out = new SlotLocation[slots.length];
        int next = 0;
        int slot = 0;
        for (int pi = 0; pi < pages.size() && next < order.length; pi++) {
            Page p = pages.get(pi);
            if (slot + p.liveCount() <= slots[order[next]]) {
                slot += p.liveCount();
                continue;
            }
            for (int i = 0; i < p.count() && next < order.length; i++) {
                if (p.live(i)) {
                    if (slot == slots[order[next]]) {
                        out[order[next++]] = new SlotLocation(pi, null, i);
                    }
                    slot++;
                }
            }
        }
        for (TokenRows r : rowsInOrder) {
            for (int i = 0; i < r.count() && next < order.length; i++) {
                if (slot == slots[order[next]]) {
                    out[order[next++]] = new SlotLocation(-1, r, i);
                }
                slot++;
            }
        }
        return out;
    }
}

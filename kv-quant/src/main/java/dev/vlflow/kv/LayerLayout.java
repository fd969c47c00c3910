package dev.vlflow.kv;

import java.util.List;

/**
 * A snapshot of one layer's page table, for bookkeeping checks and diagnostics.
 *
 * @param pages   the page table in order
 * @param staging tokens waiting in fp32 for a complete key group, at 16, 8, 4 and 2 bits (length 4)
 * @param window  tokens in the fp32 window
 */
public record LayerLayout(List<PageInfo> pages, int[] staging, int window) {

    /**
     * @param bits          precision of every token of the page
     * @param count         tokens written (a multiple of the group size)
     * @param live          tokens not evicted or moved
     * @param livePositions original positions of the live tokens, in page order
     */
    public record PageInfo(int bits, int count, int live, int[] livePositions) {
    }
}

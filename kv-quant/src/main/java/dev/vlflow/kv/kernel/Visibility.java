package dev.vlflow.kv.kernel;

import dev.vlflow.kv.AttentionMask;
import dev.vlflow.kv.AttentionQuery;

/**
 * Which slots of one layer each query of an {@link AttentionQuery} sees, decided from the slots' stored original
 * positions (or, for a tree, from the last slots). Built once per attention call; {@link #slots} lists the visible
 * slots of one query in increasing slot order, so every kernel walks the cache in the same order as its twin.
 */
public final class Visibility {

    private final AttentionQuery query;
    private final int[] positions;  // [size] original position per slot
    private final int size;
    private final boolean[] inSubset; // [size] for a Subset mask, else null

    private Visibility(AttentionQuery query, int[] positions, int size, boolean[] inSubset) {
        this.query = query;
        this.positions = positions;
        this.size = size;
        this.inSubset = inSubset;
    }

    /**
     * @param positions [size] original position of each slot, in slot order
     */
    public static Visibility of(AttentionQuery query, int[] positions, int size) {
        boolean[] inSubset = null;
        if (query.mask() instanceof AttentionMask.Subset subset) {
            inSubset = new boolean[size];
            for (int s = 0; s < size; s++) {
                inSubset[s] = subset.contains(positions[s]);
            }
        } else if (query.mask() instanceof AttentionMask.Tree tree) {
            int n = tree.ancestors().length;
            if (n > size) {
                throw new IllegalArgumentException("tree of " + n + " candidates but only " + size + " cached tokens");
            }
            if (n != query.count()) {
                throw new IllegalArgumentException("tree of " + n + " candidates for " + query.count() + " queries");
            }
        }
        return new Visibility(query, positions, size, inSubset);
    }

    /**
     * Writes the visible slots of query {@code i} into {@code into} (length at least size) in increasing order.
     *
     * @return how many slots are visible
     */
    public int slots(int i, int[] into) {
        int n = 0;
        AttentionMask mask = query.mask();
        if (mask instanceof AttentionMask.Tree tree) {
            boolean[] row = tree.ancestors()[i];
            int prefix = size - row.length;
            for (int s = 0; s < prefix; s++) {
                into[n++] = s;
            }
            for (int j = 0; j < row.length; j++) {
                if (row[j]) {
                    into[n++] = prefix + j;
                }
            }
            return n;
        }
        int qPos = query.positions()[i];
        for (int s = 0; s < size; s++) {
            if (positions[s] <= qPos && (inSubset == null || inSubset[s])) {
                into[n++] = s;
            }
        }
        return n;
    }
}

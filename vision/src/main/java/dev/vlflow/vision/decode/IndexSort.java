package dev.vlflow.vision.decode;

/** Stable sort of indices by a long key, without boxing (merge sort, O(n log n)). */
final class IndexSort {

    private IndexSort() {
    }

    /** The permutation that sorts {@code keys} ascending, equal keys in their original order. */
    static int[] byKey(long[] keys) {
        int n = keys.length;
        int[] index = new int[n];
        for (int i = 0; i < n; i++) {
            index[i] = i;
        }
        int[] buffer = new int[n];
        for (int width = 1; width < n; width *= 2) {
            for (int lo = 0; lo < n - width; lo += 2 * width) {
                int mid = lo + width;
                int hi = Math.min(lo + 2 * width, n);
                if (keys[index[mid - 1]] <= keys[index[mid]]) {
                    continue;
                }
                int i = lo;
                int j = mid;
                int k = lo;
                while (i < mid && j < hi) {
                    buffer[k++] = keys[index[j]] < keys[index[i]] ? index[j++] : index[i++];
                }
                while (i < mid) {
                    buffer[k++] = index[i++];
                }
                while (j < hi) {
                    buffer[k++] = index[j++];
                }
                System.arraycopy(buffer, lo, index, lo, hi - lo);
            }
        }
        return index;
    }
}

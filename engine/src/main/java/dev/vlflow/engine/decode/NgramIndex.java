package dev.vlflow.engine.decode;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The text id stream of one conversation (system prompt, question with its subtitles, earlier answers, the tokens
 * generated so far; never video tokens) with a rolling index: for each n-gram size 1..{@code maxN}, the n-gram →
 * where its latest occurrence's continuation starts. Updated per token in O(maxN); a lookup is O(maxN).
 *
 * <p>Only n-grams that already have a continuation are indexed, so the stream's own suffix never matches itself.
 */
public final class NgramIndex {

    /** Largest n-gram size: three ids of at most 21 bits pack into one long key. */
    public static final int MAX_N = 3;
    private static final int ID_BITS = 21;

    private final int maxN;
    private final Map<Long, Integer>[] latest; // [n - 1]: packed n-gram -> index of the token that followed it
    private int[] ids;                         // [capacity], the first size are the stream
    private int size;

    @SuppressWarnings("unchecked")
    public NgramIndex(int maxN) {
        if (maxN < 1 || maxN > MAX_N) {
            throw new IllegalArgumentException("n-gram size must be in 1.." + MAX_N + ", got " + maxN);
        }
        this.maxN = maxN;
        this.latest = new Map[maxN];
        for (int n = 0; n < maxN; n++) {
            latest[n] = new HashMap<>();
        }
        this.ids = new int[64];
    }

    public int size() {
        return size;
    }

    public void addAll(int[] tokens) {
        for (int t : tokens) {
            add(t);
        }
    }

    public void add(int token) {
        if (token < 0 || token >= 1 << ID_BITS) {
            throw new IllegalArgumentException("token id " + token + " outside 0.." + ((1 << ID_BITS) - 1));
        }
        if (size == ids.length) {
            ids = Arrays.copyOf(ids, size * 2);
        }
        ids[size] = token;
        // the n-grams ending just before the new token now have a continuation: the new token
        for (int n = 1; n <= maxN && n <= size; n++) {
            latest[n - 1].put(key(size - n, n), size);
        }
        size++;
    }

    /**
     * The continuation of the latest earlier occurrence of the longest matching suffix ({@code maxN} down to 1
     * tokens), at most {@code count} ids; empty when nothing matches.
     */
    public int[] lookup(int count) {
        return lookup(count, 1);
    }

    /** As {@link #lookup(int)}, matching suffixes of at least {@code minN} tokens only. */
    public int[] lookup(int count, int minN) {
        for (int n = Math.min(maxN, size); n >= Math.max(1, minN) && count > 0; n--) {
            Integer start = latest[n - 1].get(key(size - n, n));
            if (start != null) {
                return Arrays.copyOfRange(ids, start, Math.min(size, start + count));
            }
        }
        return new int[0];
    }

    private long key(int from, int n) {
        long k = 0;
        for (int i = from; i < from + n; i++) {
            k = (k << ID_BITS) | ids[i];
        }
        return k;
    }
}

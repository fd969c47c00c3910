package dev.vlflow.engine.runtime;

import dev.vlflow.kv.AttentionMask;
import dev.vlflow.kv.AttentionQuery;
import dev.vlflow.kv.CacheShape;
import dev.vlflow.kv.KvCache;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A KV cache that measures, while a prompt is prefilled through it, how the queries at a chosen range of positions
 * (the probes) spread their attention over the keys: an {@link AttentionProfile}. Normal prefill is untouched;
 * only a run that wraps its cache in a probe pays for the measurement: each attention call whose block holds probe
 * rows is repeated for those rows alone with the kernel's key-mass accumulator ({@link AttentionQuery#keyMass()}),
 * so the mass is exactly what the cache's own kernel computes.
 *
 * <pre>
 * AttentionProbe cache = AttentionProbe.around(new FloatKvCache(shape), promptLength - 64, promptLength);
 * ... prefill the prompt through cache (or a fork of it) ...
 * AttentionProfile profile = cache.profile();
 * </pre>
 *
 * <p>Forks share the measurement (a question prefilled on a fork records into its parent's profile); each probe
 * position must be prefilled exactly once per layer. The wrapped cache must keep slots in append order (no eviction,
 * as every non-evicting cache does); the probe tracks each slot's position itself. Wrapped, a mixed-precision cache
 * no longer ranks tokens by importance (the decoder only does that for the paged cache itself).
 */
public final class AttentionProbe implements KvCache {

    private final KvCache cache;
    private final Recorder recorder;
    private final int[][] slotPositions; // per layer, [capacity] position of each slot
    private final int[] sizes;

    private AttentionProbe(KvCache cache, Recorder recorder, int[][] slotPositions, int[] sizes) {
        this.cache = cache;
        this.recorder = recorder;
        this.slotPositions = slotPositions;
        this.sizes = sizes;
    }

    /** Wraps an empty cache; the probes are the queries at positions {@code [probeFrom, probeTo)}. */
    public static AttentionProbe around(KvCache cache, int probeFrom, int probeTo) {
        if (cache.size(0) != 0) {
            throw new IllegalArgumentException("the probe must wrap an empty cache, not one of " + cache.size(0)
                    + " tokens");
        }
        int layers = cache.shape().layers();
        return new AttentionProbe(cache, new Recorder(layers, probeFrom, probeTo), new int[layers][0],
                new int[layers]);
    }

    /** The mass measured so far; every probe position must have been prefilled in every layer. */
    public AttentionProfile profile() {
        return recorder.profile();
    }

    @Override
    public CacheShape shape() {
        return cache.shape();
    }

    @Override
    public int size(int layer) {
        return cache.size(layer);
    }

    @Override
    public void append(int layer, float[] keys, float[] values, int[] positions, int count) {
        cache.append(layer, keys, values, positions, count);
        int size = sizes[layer];
        if (slotPositions[layer].length < size + count) {
            slotPositions[layer] = Arrays.copyOf(slotPositions[layer], Math.max(2 * slotPositions[layer].length,
                    size + count));
        }
        System.arraycopy(positions, 0, slotPositions[layer], size, count);
        sizes[layer] = size + count;
        if (cache.size(layer) != sizes[layer]) {
            throw new IllegalStateException("the wrapped cache holds " + cache.size(layer) + " tokens after an"
                    + " append, not " + sizes[layer] + ": it evicts, and the probe cannot map its slots");
        }
    }

    @Override
    public void attend(int layer, AttentionQuery query, float[] out) {
        cache.attend(layer, query, out);
        int[] rows = recorder.probeRows(query);
        if (rows.length == 0) {
            return;
        }
        if (query.mask() instanceof AttentionMask.Tree) {
            throw new UnsupportedOperationException("probe positions must be prefilled causally, not in a tree");
        }
        int width = query.heads() * query.headDim();
        float[] q = new float[rows.length * width];  // [rows, heads, headDim]
        int[] positions = new int[rows.length];
        for (int r = 0; r < rows.length; r++) {
            System.arraycopy(query.queries(), rows[r] * width, q, r * width, width);
            positions[r] = query.positions()[rows[r]];
        }
        float[] slotMass = new float[cache.size(layer)]; // [size] by slot
        AttentionQuery probe = new AttentionQuery(q, rows.length, query.heads(), positions, query.mask(),
                query.scale(), Optional.of(slotMass));
        cache.attend(layer, probe, new float[q.length]);
        recorder.add(layer, query.heads(), positions, slotMass, slotPositions[layer]);
    }

    @Override
    public void truncate(int tokens) {
        cache.truncate(tokens);
        for (int layer = 0; layer < sizes.length; layer++) {
            sizes[layer] = Math.min(sizes[layer], tokens);
        }
    }

    @Override
    public KvCache fork() {
        int[][] positions = new int[slotPositions.length][];
        for (int layer = 0; layer < positions.length; layer++) {
            positions[layer] = Arrays.copyOf(slotPositions[layer], sizes[layer]);
        }
        return new AttentionProbe(cache.fork(), recorder, positions, sizes.clone());
    }

    @Override
    public long bytes() {
        return cache.bytes();
    }

    /** The measurement, shared by a probe and its forks. */
    private static final class Recorder {
        private final int probeFrom;
        private final int probeTo;
        private final float[][] mass;       // [layers][probeTo] by key position
        private final boolean[][] recorded; // [layers][probes]
        private int heads;                  // query heads, known from the first probe rows

        Recorder(int layers, int probeFrom, int probeTo) {
            if (probeFrom < 0 || probeTo <= probeFrom) {
                throw new IllegalArgumentException("empty probe range [" + probeFrom + ", " + probeTo + ")");
            }
            this.probeFrom = probeFrom;
            this.probeTo = probeTo;
            this.mass = new float[layers][probeTo];
            this.recorded = new boolean[layers][probeTo - probeFrom];
        }

        /** Indices of the query rows at probe positions. */
        int[] probeRows(AttentionQuery query) {
            int[] rows = new int[query.count()];
            int n = 0;
            for (int i = 0; i < query.count(); i++) {
                int p = query.positions()[i];
                if (p >= probeFrom && p < probeTo) {
                    rows[n++] = i;
                }
            }
            return Arrays.copyOf(rows, n);
        }

        void add(int layer, int queryHeads, int[] probePositions, float[] slotMass, int[] slotPositions) {
            if (heads != 0 && heads != queryHeads) {
                throw new IllegalStateException("probe rows with " + queryHeads + " heads after rows with " + heads);
            }
            heads = queryHeads;
            for (int p : probePositions) {
                if (recorded[layer][p - probeFrom]) {
                    throw new IllegalStateException("probe position " + p + " of layer " + layer
                            + " was prefilled twice");
                }
                recorded[layer][p - probeFrom] = true;
            }
            for (int s = 0; s < slotMass.length; s++) {
                if (slotMass[s] != 0f) {
                    mass[layer][slotPositions[s]] += slotMass[s]; // causal: a seen key's position < probeTo
                }
            }
        }

        AttentionProfile profile() {
            List<float[]> layers = new ArrayList<>(mass.length);
            for (int layer = 0; layer < mass.length; layer++) {
                for (int r = 0; r < recorded[layer].length; r++) {
                    if (!recorded[layer][r]) {
                        throw new IllegalStateException("probe position " + (probeFrom + r) + " of layer " + layer
                                + " has not been prefilled");
                    }
                }
                layers.add(mass[layer]);
            }
            return new AttentionProfile(probeFrom, probeTo, heads, layers);
        }
    }

    @Override
    public int[] positions(int layer) {
        return cache.positions(layer);
    }

    @Override
    public float[] keys(int layer) {
        return cache.keys(layer);
    }

    @Override
    public float[] values(int layer) {
        return cache.values(layer);
    }

    /** Refused: the probe maps slots to positions as they were appended, which eviction would break. */
    @Override
    public void evict(int layer, int[] slots) {
        throw new UnsupportedOperationException("attention statistics are measured on a cache that does not evict");
    }
}

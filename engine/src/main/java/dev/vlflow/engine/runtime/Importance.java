package dev.vlflow.engine.runtime;

import dev.vlflow.kv.AttentionMask;
import dev.vlflow.kv.AttentionQuery;
import dev.vlflow.kv.KvCache;
import dev.vlflow.kv.PagedKvCache;
import dev.vlflow.kv.PrecisionPolicy;
import java.util.Arrays;
import java.util.Optional;

/**
 * Marks important tokens of a mixed-precision cache from attention mass, ZipVL's adaptive rule: after a prefill
 * chunk attends, the smallest set of keys holding a fraction {@code tau} (the policy's {@code importantMass}) of the mass the chunk's queries gave (summed
 * over heads) is important and keeps the high precision; the rest get the low one. Decode steps (one query) do not
 * re-rank. With any other policy this does nothing and attention runs without statistics.
 */
final class Importance {

    private Importance() {
    }

    /** Whether this forward pass should collect key mass for {@code cache}. */
    static boolean tracks(KvCache cache, int queries) {
        return queries > 1 && cache instanceof PagedKvCache p
                && p.config().policy() instanceof PrecisionPolicy.MixedByImportance;
    }

    /** A causal query, with a key-mass accumulator of the layer's size when importance is tracked. */
    static AttentionQuery query(float[] q, int tokens, int heads, int[] positions, float scale, KvCache cache,
                                int layer, boolean track) {
        Optional<float[]> mass = track ? Optional.of(new float[cache.size(layer)]) : Optional.empty();
        return new AttentionQuery(q, tokens, heads, positions, new AttentionMask.Causal(), scale, mass);
    }

    /** Applies the adaptive rule to the mass the query collected. */
    static void mark(KvCache cache, int layer, AttentionQuery query) {
        float[] mass = query.keyMass().orElseThrow();
        PagedKvCache paged = (PagedKvCache) cache;
        double tau = ((PrecisionPolicy.MixedByImportance) paged.config().policy()).importantMass();
        paged.setImportance(layer, important(mass, tau));
    }

    /** The smallest set of slots whose mass reaches {@code tau} of the total (ties broken by slot order). */
    static boolean[] important(float[] mass, double tau) {
        Integer[] order = new Integer[mass.length];
        double total = 0;
        for (int i = 0; i < mass.length; i++) {
            order[i] = i;
            total += mass[i];
        }
        Arrays.sort(order, (a, b) -> mass[a] != mass[b] ? Float.compare(mass[b], mass[a]) : Integer.compare(a, b));
        boolean[] important = new boolean[mass.length];
        double kept = 0;
        for (int i = 0; i < order.length && kept < tau * total; i++) {
            important[order[i]] = true;
            kept += mass[order[i]];
        }
        return important;
    }
}

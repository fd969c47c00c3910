package dev.vlflow.engine.runtime;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The attention mass that a set of probe queries gave to each key, per decoder layer: ZipVL's column mass
 * {@code a_j = sum over probe rows c and heads h of softmax(q_c,h . K / sqrt(d))[j]} (causal, so a probe at position
 * {@code p} gives nothing to keys after {@code p}). Every probe row spreads mass 1 per head, so a layer's total is
 * {@code probes * heads}.
 *
 * @param probeFrom first probe position (inclusive)
 * @param probeTo   last probe position (exclusive); the keys measured are positions {@code 0..probeTo-1}
 * @param heads     query heads per probe row
 * @param keyMass   per layer, [probeTo] mass indexed by key position (not copied on access; use {@link #mass})
 */
public record AttentionProfile(int probeFrom, int probeTo, int heads, List<float[]> keyMass) {

    public AttentionProfile {
        if (probeFrom < 0 || probeTo <= probeFrom || heads <= 0) {
            throw new IllegalArgumentException("bad probe range [" + probeFrom + ", " + probeTo + ") or heads "
                    + heads);
        }
        List<float[]> copy = new ArrayList<>(keyMass.size());
        for (float[] layer : keyMass) {
            if (layer.length != probeTo) {
                throw new IllegalArgumentException("a layer's key mass has " + layer.length + " entries, expected "
                        + probeTo);
            }
            copy.add(layer.clone());
        }
        keyMass = List.copyOf(copy);
    }

    /** Number of probe query rows. */
    public int probes() {
        return probeTo - probeFrom;
    }

    public int layers() {
        return keyMass.size();
    }

    /** A copy of one layer's mass, [probeTo] by key position. */
    public float[] mass(int layer) {
        return keyMass.get(layer).clone();
    }

    /** A copy of one layer's mass on key positions {@code [from, to)}. */
    public float[] mass(int layer, int from, int to) {
        if (from < 0 || to > probeTo || to < from) {
            throw new IllegalArgumentException("key range [" + from + ", " + to + ") outside [0, " + probeTo + ")");
        }
        return Arrays.copyOfRange(keyMass.get(layer), from, to);
    }

    /** One layer's total mass (in theory {@code probes * heads}). */
    public double total(int layer) {
        double sum = 0;
        for (float m : keyMass.get(layer)) {
            sum += m;
        }
        return sum;
    }
}

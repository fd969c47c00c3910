package dev.vlflow.engine.runtime;

import java.util.BitSet;
import java.util.List;

/**
 * Which decoder sub-layers a forward pass runs. A skipped attention sub-layer computes nothing and appends no K/V
 * (its residual passes through); a skipped MLP sub-layer likewise passes its residual. The full plan is the model.
 *
 * @param layers        decoder layers of the model
 * @param skipAttention layers whose attention sub-layer is skipped
 * @param skipMlp       layers whose MLP sub-layer is skipped
 */
public record LayerPlan(int layers, BitSet skipAttention, BitSet skipMlp) {

    public LayerPlan {
        if (layers <= 0) {
            throw new IllegalArgumentException("layers must be positive, got " + layers);
        }
        skipAttention = (BitSet) skipAttention.clone();
        skipMlp = (BitSet) skipMlp.clone();
        if (skipAttention.length() > layers || skipMlp.length() > layers) {
            throw new IllegalArgumentException("skip sets " + skipAttention + " / " + skipMlp + " name layers beyond "
                    + (layers - 1));
        }
    }

    /** Every sub-layer of every layer. */
    public static LayerPlan full(int layers) {
        return new LayerPlan(layers, new BitSet(), new BitSet());
    }

    /** Only the listed layers run (attention and MLP); the others are skipped whole (Unified Layer Skipping). */
    public static LayerPlan keeping(int layers, List<Integer> kept) {
        BitSet skip = new BitSet();
        skip.set(0, layers);
        for (int l : kept) {
            skip.clear(l);
        }
        return new LayerPlan(layers, skip, skip);
    }

    public boolean runsAttention(int layer) {
        return !skipAttention.get(layer);
    }

    public boolean runsMlp(int layer) {
        return !skipMlp.get(layer);
    }

    /** Skipped sub-layers (attention and MLP counted separately). */
    public int skipped() {
        return skipAttention.cardinality() + skipMlp.cardinality();
    }

    @Override
    public BitSet skipAttention() {
        return (BitSet) skipAttention.clone();
    }

    @Override
    public BitSet skipMlp() {
        return (BitSet) skipMlp.clone();
    }

    @Override
    public String toString() {
        return "attention skipped " + skipAttention + ", MLP skipped " + skipMlp;
    }
}

package dev.vlflow.engine.decode;

import java.util.ArrayList;
import java.util.List;

/** Which layers generated tokens go through. */
public sealed interface LayerSkipping permits LayerSkipping.AllLayers, LayerSkipping.Unified {

    /** Whether the answer may differ from the full model's. */
    boolean lossy();

    /** Every layer: the model itself. */
    record AllLayers() implements LayerSkipping {
        @Override
        public boolean lossy() {
            return false;
        }
    }

    /**
     * Unified Layer Skipping (ALGORITHMS.md §2): the prompt runs through every layer, generated tokens through the
     * kept layers of {@link #keptLayers} only. Lossy unless {@code speedup == 1}; the model is not fine-tuned for it.
     *
     * @param speedup nominal target speedup (layer count ratio), an integer >= 1
     */
    record Unified(int speedup) implements LayerSkipping {
        public Unified {
            if (speedup < 1) {
                throw new IllegalArgumentException("ULS speedup must be >= 1, got " + speedup);
            }
        }

        @Override
        public boolean lossy() {
            return speedup > 1;
        }

        /**
         * The exact rule of the reference code (§2.2): {@code R = floor(L/s)} layers kept, {@code 0} and
         * {@code L-1} always, and {@code i} in {@code 1..L-2} whenever {@code i mod floor(L/(R-1)) == 0} until
         * {@code R} are kept.
         */
        public List<Integer> keptLayers(int layers) {
            int kept = layers / speedup;
            if (kept < 2) {
                throw new IllegalArgumentException("a speedup of " + speedup + " keeps " + kept + " of " + layers
                        + " layers; the rule needs at least 2");
            }
            List<Integer> out = new ArrayList<>();
            out.add(0);
            int step = layers / (kept - 2 + 1);
            for (int i = 1; i <= layers - 2 && out.size() < kept - 1; i++) {
                if (i % step == 0) {
                    out.add(i);
                }
            }
            out.add(layers - 1);
            return List.copyOf(out);
        }
    }
}

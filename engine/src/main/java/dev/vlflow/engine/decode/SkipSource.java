package dev.vlflow.engine.decode;

import java.util.BitSet;

/** Where a layer-skip drafter's skip set comes from. */
public sealed interface SkipSource permits SkipSource.Configured, SkipSource.Searched {

    /**
     * A fixed skip set (e.g. found offline). Empty sets make the drafter the full model (every draft accepted).
     *
     * @param attention layers whose attention sub-layer the drafter skips
     * @param mlp       layers whose MLP sub-layer the drafter skips
     */
    record Configured(BitSet attention, BitSet mlp) implements SkipSource {
        public Configured {
            attention = (BitSet) attention.clone();
            mlp = (BitSet) mlp.clone();
        }

        @Override
        public BitSet attention() {
            return (BitSet) attention.clone();
        }

        @Override
        public BitSet mlp() {
            return (BitSet) mlp.clone();
        }

        /**
         * Parses {@code attn=1,2,5/mlp=3,4} (either part may be left out; {@code none} = nothing skipped).
         */
        public static Configured parse(String text) {
            BitSet attention = new BitSet();
            BitSet mlp = new BitSet();
            String t = text.trim();
            if (!t.equals("none") && !t.isEmpty()) {
                for (String part : t.split("/")) {
                    String[] kv = part.split("=", 2);
                    if (kv.length != 2 || !(kv[0].trim().equals("attn") || kv[0].trim().equals("mlp"))) {
                        throw new IllegalArgumentException("skip set '" + text + "': expected attn=1,2/mlp=3");
                    }
                    BitSet target = kv[0].trim().equals("attn") ? attention : mlp;
                    for (String n : kv[1].split(",")) {
                        if (!n.isBlank()) {
                            target.set(Integer.parseInt(n.trim()));
                        }
                    }
                }
            }
            return new Configured(attention, mlp);
        }
    }

    /**
     * SWIFT's on-line search (ALGORITHMS.md §3.3), on the stream's first answers: random skip sets of
     * {@code floor(2(L-2) * ratio)} sub-layers of layers 1..L-2 scored by teacher forcing on the answer just
     * generated (fraction of positions where the drafter's argmax equals the generated token); the best is kept.
     * Until the first search has run the drafter proposes nothing.
     *
     * @param ratio    fraction of the searchable sub-layers skipped (SWIFT: 0.45)
     * @param answers  answers of a stream after which the search runs
     * @param trials   random skip sets scored after each of them
     * @param seed     seed of the search
     */
    record Searched(double ratio, int answers, int trials, long seed) implements SkipSource {
        public Searched {
            if (!(ratio > 0 && ratio < 1)) {
                throw new IllegalArgumentException("skip ratio must be in (0, 1), got " + ratio);
            }
            if (answers <= 0 || trials <= 0) {
                throw new IllegalArgumentException("answers and trials must be positive");
            }
        }

        public static Searched defaults() {
            return new Searched(0.45, 3, 24, 17);
        }
    }
}

package dev.vlflow.kv;

/**
 * How precise the KV cache is, chosen in configuration. Precisions are bits per stored element: 16 (fp16), 8, 4
 * or 2 (asymmetric integer codes with fp16 zero and scale per group).
 */
public sealed interface PrecisionPolicy permits PrecisionPolicy.FullPrecision, PrecisionPolicy.Quantized {

    /** No quantization: the plain fp32 {@link FloatKvCache}. */
    record FullPrecision() implements PrecisionPolicy {
        @Override
        public String label() {
            return "fp32";
        }
    }

    /** A policy of the paged cache: which precision a token gets. */
    sealed interface Quantized extends PrecisionPolicy permits Uniform, MixedByImportance {

        /** Precision of a token the caller has marked important or not. */
        int bitsFor(boolean important);

        /** Precision of a token whose importance has not been set (yet). */
        int defaultBits();
    }

    /** Every token at {@code bits} (beyond the fp32 window). */
    record Uniform(int bits) implements Quantized {
        public Uniform {
            checkBits(bits);
        }

        @Override
        public int bitsFor(boolean important) {
            return bits;
        }

        @Override
        public int defaultBits() {
            return bits;
        }

        @Override
        public String label() {
            return Integer.toString(bits);
        }
    }

    /**
     * Important tokens at {@code highBits}, the rest at {@code lowBits} (ZipVL: 4 and 2). Importance is given by
     * the caller per token ({@code KvCache.markImportance}); until then a token counts as important. The engine
     * marks them by ZipVL's rule (probe rows, Eq. 6–8 of ALGORITHMS.md §1.3) with {@code importantMass} as tau
     * when ZipVL itself is off; with ZipVL on, its own tau decides (and its sparse attention uses the same split).
     */
    record MixedByImportance(int highBits, int lowBits, double importantMass) implements Quantized {
        /** ZipVL's default share of attention mass held by the important tokens. */
        public static final double DEFAULT_IMPORTANT_MASS = 0.975;

        public MixedByImportance {
            checkBits(highBits);
            checkBits(lowBits);
            if (lowBits > highBits) {
                throw new IllegalArgumentException("low precision " + lowBits + " exceeds high precision "
                        + highBits);
            }
            if (!(importantMass > 0 && importantMass <= 1)) {
                throw new IllegalArgumentException("important mass must be in (0, 1], got " + importantMass);
            }
        }

        public MixedByImportance(int highBits, int lowBits) {
            this(highBits, lowBits, DEFAULT_IMPORTANT_MASS);
        }

        @Override
        public int bitsFor(boolean important) {
            return important ? highBits : lowBits;
        }

        @Override
        public int defaultBits() {
            return highBits;
        }

        @Override
        public String label() {
            return "mixed:" + highBits + "/" + lowBits
                    + (importantMass == DEFAULT_IMPORTANT_MASS ? "" : "@" + importantMass);
        }
    }

    /** Short name, accepted back by {@link #parse}: {@code fp32}, {@code 16}, {@code 4}, {@code mixed:4/2}. */
    String label();

    /**
     * Parses {@code fp32}, {@code 16|8|4|2}, {@code mixed} (= {@code mixed:4/2}), {@code mixed:H/L} or
     * {@code mixed:H/L@TAU} (share of attention mass held by the important tokens, default 0.975).
     */
    static PrecisionPolicy parse(String text) {
        String s = text.trim().toLowerCase(java.util.Locale.ROOT);
        if (s.equals("fp32") || s.equals("float") || s.equals("none")) {
            return new FullPrecision();
        }
        if (s.equals("mixed")) {
            return new MixedByImportance(4, 2);
        }
        try {
            if (s.startsWith("mixed:")) {
                String[] at = s.substring(6).split("@");
                String[] hl = at[0].split("/");
                double mass = at.length == 2 ? Double.parseDouble(at[1]) : MixedByImportance.DEFAULT_IMPORTANT_MASS;
                if (hl.length == 2 && at.length <= 2) {
                    return new MixedByImportance(Integer.parseInt(hl[0]), Integer.parseInt(hl[1]), mass);
                }
            } else {
                return new Uniform(Integer.parseInt(s));
            }
        } catch (NumberFormatException e) {
            // fall through to the error below
        }
        throw new IllegalArgumentException("unknown KV precision '" + text
                + "' (expected fp32, 16, 8, 4, 2, mixed, mixed:H/L or mixed:H/L@TAU)");
    }

    private static void checkBits(int bits) {
        if (bits != 16 && bits != 8 && bits != 4 && bits != 2) {
            throw new IllegalArgumentException("KV precision must be 16, 8, 4 or 2 bits, got " + bits);
        }
    }
}

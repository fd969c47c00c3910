package dev.vlflow.conf;

import java.io.Serializable;
import java.util.Objects;

/**
 * Default limits and sampling of answers (see {@link DecodingOptions}).
 *
 * @param maxNewTokens most generated tokens
 * @param sampler      greedy or seeded nucleus sampling
 * @param speculation  the drafter whose candidates the model verifies, or lossy layer skipping
 */
public record DecodingSpec(int maxNewTokens, Sampler sampler, Speculation speculation) implements Serializable {
    public DecodingSpec {
        Objects.requireNonNull(sampler, "sampler");
        Objects.requireNonNull(speculation, "speculation");
        if (maxNewTokens <= 0) {
            throw new IllegalArgumentException("max new tokens must be positive, got " + maxNewTokens);
        }
    }

    /** Plain decoding. */
    public DecodingSpec(int maxNewTokens, Sampler sampler) {
        this(maxNewTokens, sampler, Speculation.plain());
    }

    public static DecodingSpec greedy(int maxNewTokens) {
        return new DecodingSpec(maxNewTokens, new Greedy());
    }

    /** Drafters, named as in configuration and on the command line. */
    public enum Drafter {
        NONE("none"), PROMPT_LOOKUP("prompt-lookup"), LAYER_SKIP("layer-skip"), TREE("tree"),
        DRAFT_HEAD("draft-head");

        private final String name;

        Drafter(String name) {
            this.name = name;
        }

        /** The configuration name (Flink and picocli match it case-insensitively). */
        @Override
        public String toString() {
            return name;
        }
    }

    /**
     * How answers are sped up. Every drafter is lossless; {@code ulsSpeedup > 1} (Unified Layer Skipping) is lossy
     * and decodes without a drafter.
     *
     * @param drafter        which drafter proposes candidates
     * @param draftLength    most candidates on one path per step (0 = plain decoding)
     * @param treeWidth      candidates per depth of a tree (the chain's token and its siblings)
     * @param minNgram       shortest suffix prompt lookup matches (1..3)
     * @param skipAttention  layers whose attention the layer-skip drafter skips; with {@code skipMlp} both empty the
     *                       skip set is searched on the stream's first answers
     * @param skipMlp        layers whose MLP the layer-skip drafter skips
     * @param ulsSpeedup     Unified Layer Skipping's nominal speedup; 1 = every layer
     */
    public record Speculation(Drafter drafter, int draftLength, int treeWidth, int minNgram,
                              java.util.List<Integer> skipAttention,
                              java.util.List<Integer> skipMlp, int ulsSpeedup) implements Serializable {
        public Speculation {
            Objects.requireNonNull(drafter, "drafter");
            skipAttention = java.util.List.copyOf(skipAttention);
            skipMlp = java.util.List.copyOf(skipMlp);
            if (minNgram < 1 || minNgram > 3) {
                throw new IllegalArgumentException("min n-gram must be in 1..3, got " + minNgram);
            }
            if (draftLength < 0 || treeWidth < 1 || ulsSpeedup < 1) {
                throw new IllegalArgumentException("need draft length >= 0, tree width >= 1 and ULS speedup >= 1, got "
                        + draftLength + ", " + treeWidth + ", " + ulsSpeedup);
            }
            if (ulsSpeedup > 1 && drafter != Drafter.NONE && draftLength > 0) {
                throw new IllegalArgumentException("Unified Layer Skipping (speedup " + ulsSpeedup
                        + ") decodes without a drafter, got " + drafter);
            }
        }

        public static final int DEFAULT_DRAFT_LENGTH = 8;
        public static final int DEFAULT_TREE_WIDTH = 3;
        public static final int DEFAULT_MIN_NGRAM = 2;

        /** No drafter, every layer (the drafter settings at their defaults). */
        public static Speculation plain() {
            return new Speculation(Drafter.NONE, DEFAULT_DRAFT_LENGTH, DEFAULT_TREE_WIDTH, DEFAULT_MIN_NGRAM,
                    java.util.List.of(),
                    java.util.List.of(), 1);
        }

        public boolean lossy() {
            return ulsSpeedup > 1;
        }
    }

    /** How the next token is chosen. */
    public sealed interface Sampler extends Serializable permits Greedy, TopP {
    }

    /** The most likely token. */
    public record Greedy() implements Sampler {
    }

    /** Seeded nucleus sampling. */
    public record TopP(double temperature, double topP, long seed) implements Sampler {
        public TopP {
            if (!(temperature > 0) || !(topP > 0 && topP <= 1)) {
                throw new IllegalArgumentException("need temperature > 0 and top-p in (0, 1]");
            }
        }
    }
}

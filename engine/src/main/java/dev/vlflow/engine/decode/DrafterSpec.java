package dev.vlflow.engine.decode;

import java.util.Objects;

/**
 * Which drafter proposes candidates at each generation step, and its settings. Every drafter is lossless: the
 * full model verifies its candidates. A draft length of 0 is plain decoding whatever the drafter.
 */
public sealed interface DrafterSpec permits DrafterSpec.None, DrafterSpec.PromptLookup, DrafterSpec.LayerSkip,
        DrafterSpec.Tree, DrafterSpec.Head {

    /** Most candidates on one path per step. */
    int draftLength();

    /** Short name, as on the command line. */
    String name();

    /** Plain decoding: nothing proposed, one token per step. */
    record None() implements DrafterSpec {
        @Override
        public int draftLength() {
            return 0;
        }

        @Override
        public String name() {
            return "none";
        }
    }

    /**
     * Prompt lookup (ALGORITHMS.md §5.1): the continuation of the latest earlier occurrence of the last
     * {@code maxNgram}..{@code minNgram} tokens of the stream's text (the reference goes down to 1; a longer minimum
     * proposes less often but is right more often, which pays where verifying costs more than a step). The first
     * draft of an answer has at most {@code startLength} candidates; the cap doubles after a fully accepted draft (up
     * to {@code draftLength}) and falls to one more than the accepted count after a rejection.
     */
    record PromptLookup(int minNgram, int maxNgram, int draftLength, int startLength) implements DrafterSpec {
        public PromptLookup {
            if (minNgram < 1 || minNgram > maxNgram || maxNgram > NgramIndex.MAX_N) {
                throw new IllegalArgumentException("need 1 <= min n-gram <= max n-gram <= " + NgramIndex.MAX_N
                        + ", got " + minNgram + ".." + maxNgram);
            }
            nonNegative(draftLength);
            if (startLength < 1) {
                throw new IllegalArgumentException("start length must be positive, got " + startLength);
            }
        }

        /** The reference: n-grams of 3 down to 1 token, {@code draftLength} candidates from the first draft on. */
        public static PromptLookup of(int draftLength) {
            return new PromptLookup(1, NgramIndex.MAX_N, draftLength, Math.max(1, draftLength));
        }

        @Override
        public String name() {
            return "prompt-lookup";
        }
    }

    /**
     * Layer-skip self-drafting (ALGORITHMS.md §3.4): the model itself with sub-layers skipped drafts a chain,
     * stopping early when its top-1 probability falls below an adaptive threshold.
     */
    record LayerSkip(int draftLength, SkipSource skip) implements DrafterSpec {
        public LayerSkip {
            nonNegative(draftLength);
            Objects.requireNonNull(skip, "skip");
        }

        @Override
        public String name() {
            return "layer-skip";
        }
    }

    /**
     * The layer-skip drafter's chain plus, at every depth, the next {@code width - 1} most likely tokens as sibling
     * leaves; the tree is verified in one pass with a tree mask.
     */
    record Tree(int draftLength, SkipSource skip, int width) implements DrafterSpec {
        public Tree {
            nonNegative(draftLength);
            Objects.requireNonNull(skip, "skip");
            positiveWidth(width);
        }

        @Override
        public String name() {
            return "tree";
        }
    }

    /**
     * A trained draft head beside the checkpoint ({@link DraftHead}) reading the target's last hidden states: a
     * chain of {@code draftLength} plus {@code width - 1} siblings a depth, verified as one tree.
     */
    record Head(int draftLength, int width) implements DrafterSpec {
        public Head {
            nonNegative(draftLength);
            positiveWidth(width);
        }

        @Override
        public String name() {
            return "draft-head";
        }
    }

    private static void positiveWidth(int width) {
        if (width < 1) {
            throw new IllegalArgumentException("tree width must be at least 1, got " + width);
        }
    }

    private static void nonNegative(int draftLength) {
        if (draftLength < 0) {
            throw new IllegalArgumentException("draft length must be >= 0, got " + draftLength);
        }
    }
}

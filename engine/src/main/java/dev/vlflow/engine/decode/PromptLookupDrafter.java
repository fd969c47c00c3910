package dev.vlflow.engine.decode;

/**
 * Prompt lookup decoding (ALGORITHMS.md §5.1) over the conversation's text ids: the continuation of the latest
 * earlier occurrence of the longest suffix n-gram. Costs a hash lookup when it misses.
 *
 * <p>The draft length adapts within an answer (ours): the first draft has at most {@code startLength} candidates;
 * after a fully accepted draft the cap doubles (up to {@code draftLength}); after a rejection it drops to one more
 * than the accepted count. A verification pass costs more the more tokens it holds, so wrong continuations are
 * verified one token at a time while a long quotation soon gets the whole draft length.
 */
public final class PromptLookupDrafter implements Drafter {

    private final int minNgram;
    private final int draftLength;
    private int cap;

    /**
     * @param minNgram    shortest suffix matched
     * @param draftLength most candidates per step
     * @param startLength most candidates of the first draft
     */
    public PromptLookupDrafter(int minNgram, int draftLength, int startLength) {
        this.minNgram = minNgram;
        this.draftLength = draftLength;
        this.cap = Math.min(startLength, draftLength);
    }

    @Override
    public Draft propose(Context context) {
        return Draft.chain(context.text().lookup(Math.min(cap, context.budget()), minNgram));
    }

    @Override
    public void observe(Draft draft, Acceptance acceptance) {
        if (draft.size() == 0) {
            return;
        }
        cap = acceptance.acceptedCount() == draft.size() ? Math.min(draftLength, 2 * cap)
                : Math.max(1, acceptance.acceptedCount() + 1);
    }
}

package dev.vlflow.engine.decode;

/**
 * Prompt lookup decoding (ALGORITHMS.md §5.1) over the conversation's text ids: the continuation of the latest
 * earlier occurrence of the longest suffix n-gram. Costs a hash lookup when it misses.
 *
 * @param minNgram    shortest suffix matched
 * @param draftLength most candidates per step
 */
public record PromptLookupDrafter(int minNgram, int draftLength) implements Drafter {
    @Override
    public Draft propose(Context context) {
        return Draft.chain(context.text().lookup(Math.min(draftLength, context.budget()), minNgram));
    }
}

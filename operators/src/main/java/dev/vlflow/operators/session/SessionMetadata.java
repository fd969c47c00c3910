package dev.vlflow.operators.session;

/**
 * What a stream's session holds besides its KV pages (keyed state; see {@link SessionMetadataSerializer} for the
 * versioned bytes).
 *
 * @param lastSequence   sequence number of the last segment handled (prefilled, or empty because it failed)
 * @param segments       segments handled
 * @param frames         frames prefilled
 * @param nextPosition   tokens ever prefilled: the position of the next token
 * @param cachedTokens   tokens per layer held in the cache pages (below {@code nextPosition} after eviction)
 * @param evictedTokens  tokens per layer evicted by the budget so far
 * @param pageTokens     tokens per layer in one page, as the pages were written
 */
public record SessionMetadata(long lastSequence, long segments, int frames, int nextPosition, int cachedTokens,
                              long evictedTokens, int pageTokens) {
    public SessionMetadata {
        if (lastSequence < 0 || segments < 1 || frames < 0 || nextPosition < 0 || cachedTokens < 0
                || evictedTokens < 0 || pageTokens <= 0) {
            throw new IllegalArgumentException("invalid session metadata " + lastSequence + "/" + segments + "/"
                    + frames + "/" + nextPosition + "/" + cachedTokens + "/" + evictedTokens + "/" + pageTokens);
        }
        if (cachedTokens > nextPosition) {
            throw new IllegalArgumentException("cache holds " + cachedTokens + " tokens but only " + nextPosition
                    + " were prefilled");
        }
    }

    /** Share of the prefilled tokens the cache still holds (1 without eviction). */
    public double keptRatio() {
        return nextPosition == 0 ? 1.0 : cachedTokens / (double) nextPosition;
    }
}

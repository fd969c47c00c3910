package dev.vlflow.engine;

/**
 * What a {@link VlSession} holds besides its KV cache; with the cache it restores the session
 * ({@link VlModel#resumeSession}). Persisted by the streaming job as a versioned record.
 *
 * @param contextTokens tokens in the cache (header and frames); the next token's position
 * @param frames        frames appended
 */
public record SessionState(int contextTokens, int frames) {
    public SessionState {
        if (contextTokens < 0 || frames < 0) {
            throw new IllegalArgumentException("session state must be non-negative");
        }
        if (frames > 0 && contextTokens == 0) {
            throw new IllegalArgumentException("a session with frames must hold tokens");
        }
    }
}

package dev.vlflow.engine.zipvl;

/** What a prefill call holds, for ZipVL's streaming rules (ALGORITHMS.md §1.9). */
public enum PromptPart {
    /** Video context (header, frames, a stream's segment): its own chunk-local probes choose its tokens. */
    CONTEXT,
    /**
     * A question on top of cached context: its rows are also the probes that re-score the cached tokens, and with
     * {@link ZipVlOptions.Demotion#DEMOTE} the ones it finds unimportant go to the cache's low precision.
     */
    QUESTION
}

package dev.vlflow.engine;

/** Receives generated tokens as they are accepted, with the text they add. */
@FunctionalInterface
public interface TokenListener {

    /**
     * @param index     0-based index of the token in the answer
     * @param tokenId   the token
     * @param textDelta text this token adds to the answer (may be empty while a multi-byte character is incomplete)
     */
    void onToken(int index, int tokenId, String textDelta);

    static TokenListener none() {
        return (index, tokenId, textDelta) -> { };
    }
}

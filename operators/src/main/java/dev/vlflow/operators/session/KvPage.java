package dev.vlflow.operators.session;

/**
 * The tokens of one layer held by one state page.
 *
 * @param positions [tokens] original RoPE positions
 * @param keys      [tokens, kvHeads, headDim] keys after RoPE
 * @param values    [tokens, kvHeads, headDim]
 */
public record KvPage(int[] positions, float[] keys, float[] values) {

    public int tokens() {
        return positions.length;
    }
}

package dev.vlflow.engine.runtime;

/**
 * What one forward pass over a block of tokens returns.
 *
 * @param logits  [rows, vocab]: the last token's row, or every token's (see {@link LogitRows})
 * @param rows    number of logit rows
 * @param hidden  [tokens, hidden] output of the last decoder layer before the final norm (for draft heads)
 * @param tokens  tokens in the block
 */
public record ForwardResult(float[] logits, int rows, float[] hidden, int tokens) {

    /** Width of one logit row. */
    public int vocab() {
        return logits.length / rows;
    }

    /** A copy of logit row {@code r}. */
    public float[] row(int r) {
        int v = vocab();
        float[] out = new float[v];
        System.arraycopy(logits, r * v, out, 0, v);
        return out;
    }
}

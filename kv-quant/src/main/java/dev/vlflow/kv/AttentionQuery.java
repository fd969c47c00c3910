package dev.vlflow.kv;

import java.util.Objects;
import java.util.Optional;

/**
 * One attention call for one layer: a block of queries (a decode step, a prefill chunk, or the candidates of
 * a speculation tree) against the cache.
 *
 * @param queries     [count, heads, headDim] query vectors, already rotated by RoPE
 * @param count       number of queries
 * @param heads       query heads; a multiple of the cache's KV heads (GQA: query head h reads KV head
 *                    {@code h / (heads / kvHeads)})
 * @param positions   [count] original position of each query (used by the causal rule)
 * @param mask        which keys each query may see
 * @param scale       softmax scale, usually {@code 1/sqrt(headDim)}
 * @param keyMass     when present, [layerTokens] array (length at least {@code size(layer)}, in slot order) that
 *                    receives, added to what it holds, the attention probability mass each key got, summed over
 *                    all queries and heads of this call; ZipVL uses it to rank tokens
 */
public record AttentionQuery(float[] queries, int count, int heads, int[] positions, AttentionMask mask,
                             float scale, Optional<float[]> keyMass) {
    public AttentionQuery {
        Objects.requireNonNull(queries, "queries");
        Objects.requireNonNull(positions, "positions");
        Objects.requireNonNull(mask, "mask");
        Objects.requireNonNull(keyMass, "keyMass");
        if (count <= 0 || heads <= 0) {
            throw new IllegalArgumentException("count and heads must be positive");
        }
        if (positions.length < count) {
            throw new IllegalArgumentException("positions has " + positions.length + " entries for " + count
                    + " queries");
        }
        if (queries.length % (count * heads) != 0) {
            throw new IllegalArgumentException("queries length " + queries.length + " is not count*heads*headDim");
        }
    }

    /** A causal query block without attention statistics. */
    public static AttentionQuery causal(float[] queries, int count, int heads, int[] positions, float scale) {
        return new AttentionQuery(queries, count, heads, positions, new AttentionMask.Causal(), scale,
                Optional.empty());
    }

    public int headDim() {
        return queries.length / (count * heads);
    }
}

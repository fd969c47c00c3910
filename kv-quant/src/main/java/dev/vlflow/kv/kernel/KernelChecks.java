package dev.vlflow.kv.kernel;

import dev.vlflow.kv.AttentionQuery;
import dev.vlflow.kv.CacheShape;

/** Argument checks shared by every attention kernel and its twin. */
public final class KernelChecks {

    private KernelChecks() {
    }

    /** Rejects a query whose heads or head size do not fit the cache shape. */
    public static void check(AttentionQuery q, CacheShape shape) {
        if (q.heads() % shape.kvHeads() != 0) {
            throw new IllegalArgumentException(q.heads() + " query heads do not divide into " + shape.kvHeads()
                    + " KV heads");
        }
        if (q.headDim() != shape.headDim()) {
            throw new IllegalArgumentException("query head dim " + q.headDim() + " != cache head dim "
                    + shape.headDim());
        }
    }
}

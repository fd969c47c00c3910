package dev.vlflow.kv;

import java.util.OptionalDouble;

/**
 * A cache that forwards every call to another one; subclasses override what they observe or change (timing,
 * recording in tests). {@link #fork()} forks the delegate without the wrapper unless overridden.
 */
public abstract class ForwardingKvCache implements KvCache {

    private final KvCache delegate;

    protected ForwardingKvCache(KvCache delegate) {
        this.delegate = delegate;
    }

    /** The wrapped cache. */
    protected KvCache delegate() {
        return delegate;
    }

    @Override
    public CacheShape shape() {
        return delegate.shape();
    }

    @Override
    public int size(int layer) {
        return delegate.size(layer);
    }

    @Override
    public void append(int layer, float[] keys, float[] values, int[] positions, int count) {
        delegate.append(layer, keys, values, positions, count);
    }

    @Override
    public void attend(int layer, AttentionQuery query, float[] out) {
        delegate.attend(layer, query, out);
    }

    @Override
    public void truncate(int tokens) {
        delegate.truncate(tokens);
    }

    @Override
    public KvCache fork() {
        return delegate.fork();
    }

    @Override
    public long bytes() {
        return delegate.bytes();
    }

    @Override
    public OptionalDouble importantMass() {
        return delegate.importantMass();
    }

    @Override
    public void markImportance(int layer, boolean[] important) {
        delegate.markImportance(layer, important);
    }

    @Override
    public void demote(int layer, int[] slots) {
        delegate.demote(layer, slots);
    }

    @Override
    public int unsealed(int layer) {
        return delegate.unsealed(layer);
    }

    @Override
    public void seal(int layer) {
        delegate.seal(layer);
    }

    @Override
    public int[] positions(int layer) {
        return delegate.positions(layer);
    }

    @Override
    public float[] keys(int layer) {
        return delegate.keys(layer);
    }

    @Override
    public float[] values(int layer) {
        return delegate.values(layer);
    }

    @Override
    public void evict(int layer, int[] slots) {
        delegate.evict(layer, slots);
    }
}

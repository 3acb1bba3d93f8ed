package io.foldin.stream.topology;

import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.internals.CacheFlushListener;
import org.apache.kafka.streams.state.internals.CachedStateStore;

/**
 * A store of ours in front of a changelogged RocksDB store ({@link LayeredStoreBuilder}): it holds state in
 * memory, writes it to {@code inner} in {@link #flushCache()}, which Streams calls before each commit, and
 * drops what it holds in {@link #clearCache()}. It is queryable as a {@link ReadOnlyKeyValueStore}.
 */
abstract class LayeredStore<K> implements StateStore, ReadOnlyKeyValueStore<K, byte[]>, CachedStateStore<K, byte[]> {
    protected final KeyValueStore<K, byte[]> inner;

    LayeredStore(KeyValueStore<K, byte[]> inner) {
        this.inner = inner;
    }

    @Override
    public boolean setFlushListener(CacheFlushListener<K, byte[]> listener, boolean sendOldValues) {
        return false;
    }

    @Override
    public String name() {
        return inner.name();
    }

    @Override
    public void init(StateStoreContext context, StateStore root) {
        inner.init(context, root);
    }

    @Override
    public void flush() {
        inner.flush();
    }

    /** Drops what is held (a task closed without a commit restores from the changelog). */
    @Override
    public void close() {
        clearCache();
        inner.close();
    }

    @Override
    public boolean persistent() {
        return inner.persistent();
    }

    @Override
    public boolean isOpen() {
        return inner.isOpen();
    }

    @Override
    public long approximateNumEntries() {
        return inner.approximateNumEntries();
    }
}

package io.foldin.stream.topology;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import java.util.Map;

/**
 * A store of ours in front of a changelogged RocksDB store ({@link LayeredStoreBuilder}): it holds state in
 * memory, writes it to {@code inner} in {@link #beforeCommit()}, which Streams calls before each commit, and
 * drops what it holds in {@link #discard()}. It is queryable as a {@link ReadOnlyKeyValueStore}.
 */
abstract class LayeredStore<K> extends PreCommitStore implements ReadOnlyKeyValueStore<K, byte[]> {
    protected final KeyValueStore<K, byte[]> inner;

    LayeredStore(KeyValueStore<K, byte[]> inner) {
        this.inner = inner;
    }

    @Override
    public String name() {
        return inner.name();
    }

    @Override
    public void init(StateStoreContext context, StateStore root) {
        inner.init(context, root);
    }

    /**
     * Streams (4.3, KIP-1035) commits a store with the changelog offsets its state reaches; RocksDB keeps them
     * beside the data and persists both together (atomic flush, no WAL). Unforwarded, Streams would wrap this
     * store in its legacy checkpoint file, whose offsets RocksDB never persisted data up to: after a SIGKILL
     * the unflushed memtable was gone while the checkpoint said it had been restored (21,707 of 90,753 ratings
     * lost in {@code CrashRestartTest}). {@link #beforeCommit()} has run before, so the offsets cover what we held.
     */
    @Override
    public void commit(Map<TopicPartition, Long> changelogOffsets) {
        inner.commit(changelogOffsets);
    }

    @Override
    @SuppressWarnings("deprecation")
    public boolean managesOffsets() {
        return inner.managesOffsets();
    }

    @Override
    public Long committedOffset(TopicPartition partition) {
        return inner.committedOffset(partition);
    }

    /** Drops what is held (a task closed without a commit restores from the changelog). */
    @Override
    public void close() {
        discard();
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

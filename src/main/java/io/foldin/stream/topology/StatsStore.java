package io.foldin.stream.topology;

import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntConsumer;

/**
 * A statistics store ({@code user-stats}, {@code item-stats}): decoded {@link EntityState}s kept in
 * memory in front of a changelogged RocksDB store of their binary form. Through the record cache
 * every event decoded and re-encoded its entity's 2 KB state (85% of the item side's time); here
 * an event updates the decoded state in place, and a changed entity is encoded, written to RocksDB
 * and sent to its changelog once per commit.
 *
 * <p>Durability: Streams calls {@link #beforeCommit()} before it flushes the producer and commits the input
 * offsets ({@link PreCommitStore}), so every committed offset has its state in the changelog. A task closed
 * without a commit drops the memory ({@link #close()}) and restores from the changelog.
 *
 * <p>Memory: at a commit, once more than {@code capacity} entries are held, those not touched
 * since the previous commit are dropped (they are clean); a dropped entity is decoded again from
 * RocksDB when next used.
 *
 * <p>Threads: the owning stream thread uses the state API; interactive queries may call the
 * {@link ReadOnlyKeyValueStore} methods from any thread. A reader encodes an entity while holding
 * its monitor, so the stream thread changes an entity only inside {@code synchronized (state)}.
 */
final class StatsStore extends LayeredStore<Integer> {
    private static final class Entry {
        final int id;
        final EntityState state;
        boolean dirty;
        long touched;
        /** {@link #tick} of the last change. */
        long changed;

        Entry(int id, EntityState state) {
            this.id = id;
            this.state = state;
        }
    }

    private final int factors;
    private final int capacity;
    private final Map<Integer, Entry> entries = new ConcurrentHashMap<>();
    private final List<Entry> dirty = new ArrayList<>();
    private long generation;
    private long tick;

    StatsStore(KeyValueStore<Integer, byte[]> inner, int factors, int capacity) {
        super(inner);
        this.factors = factors;
        this.capacity = capacity;
    }

    // ---- the stream thread's API

    /** The entity's state to read, or null when it has none. */
    EntityState find(int id) {
        Entry e = entry(id);
        if (e == null) {
            return null;
        }
        e.touched = generation;
        return e.state;
    }

    /** The entity's state, created empty when it has none; changes to it are written at the next commit. */
    EntityState edit(int id) {
        Entry e = entry(id);
        if (e == null) {
            e = new Entry(id, new EntityState(factors));
            entries.put(id, e);
        }
        touch(e);
        return e.state;
    }

    /** The entity's state, or null when it has none; changes to it are written at the next commit. */
    EntityState editExisting(int id) {
        Entry e = entry(id);
        if (e == null) {
            return null;
        }
        touch(e);
        return e.state;
    }

    /** Replaces the entity's state (a sweep's install); written at the next commit. */
    void put(int id, EntityState state) {
        Entry e = new Entry(id, state);
        orphan(entries.put(id, e));
        touch(e);
    }

    /** Forgets the entity: its state is deleted from RocksDB and the changelog now. */
    void delete(int id) {
        orphan(entries.remove(id));
        inner.delete(id);
    }

    /** A replaced or removed entry is no longer written. */
    private static void orphan(Entry e) {
        if (e != null) {
            e.dirty = false;
        }
    }

    /** Every entity id held, after writing the pending changes so RocksDB has them all. */
    void forEachId(IntConsumer action) {
        beforeCommit();
        try (KeyValueIterator<Integer, byte[]> it = inner.all()) {
            while (it.hasNext()) {
                action.accept(it.next().key);
            }
        }
    }

    /** Entities decoded in memory now. */
    int held() {
        return entries.size();
    }

    private Entry entry(int id) {
        Entry e = entries.get(id);
        if (e == null) {
            byte[] raw = inner.get(id);
            if (raw != null) {
                e = new Entry(id, EntityState.decode(raw, factors));
                entries.put(id, e);
            }
        }
        return e;
    }

    private void touch(Entry e) {
        e.touched = generation;
        e.changed = tick;
        if (!e.dirty) {
            e.dirty = true;
            dirty.add(e);
        }
    }

    /**
     * Writes the changed entities that have not changed again in the last {@code idleTicks} calls (the user
     * fold-in calls it once per publish interval), the rest stay for a later call or the commit. A user's
     * ratings come in sessions, so most users are written once, soon after their session, instead of all
     * at the commit: the commit then writes and waits for a fraction of the state, and the events behind
     * it wait less (at 50k events/s the longest commit went from 140–350 ms to ~100 ms). Items are rated
     * all the time, so there it would write a state several times per commit (measured: more CPU than
     * it saves). Every change is still written by the next commit at the latest.
     */
    void writeIdle(int idleTicks) {
        int kept = 0;
        for (Entry e : dirty) {
            if (!e.dirty) {
                continue;
            }
            if (tick - e.changed >= idleTicks) {
                write(e);
            } else {
                dirty.set(kept++, e);
            }
        }
        dirty.subList(kept, dirty.size()).clear();
        tick++;
    }

    private void write(Entry e) {
        byte[] raw;
        synchronized (e.state) {
            raw = e.state.encode();
            e.state.roundToStored();
        }
        inner.put(e.id, raw);
        e.dirty = false;
    }

    // ---- Streams' hooks

    /**
     * Before a commit: encodes and writes every changed entity, keeping in memory exactly what was written
     * (see {@link EntityState}), then trims the memory.
     */
    @Override
    void beforeCommit() {
        for (Entry e : dirty) {
            if (e.dirty) {
                write(e);
            }
        }
        dirty.clear();
        if (entries.size() > capacity) {
            entries.values().removeIf(e -> e.touched < generation && !e.dirty);
        }
        generation++;
    }

    @Override
    void discard() {
        entries.clear();
        dirty.clear();
    }

    // ---- interactive queries, from any thread

    @Override
    public byte[] get(Integer key) {
        Entry e = entries.get(key);
        if (e != null) {
            synchronized (e.state) {
                return e.state.encode();
            }
        }
        return inner.get(key);
    }

    @Override
    public KeyValueIterator<Integer, byte[]> range(Integer from, Integer to) {
        return snapshot(from, to, false);
    }

    @Override
    public KeyValueIterator<Integer, byte[]> reverseRange(Integer from, Integer to) {
        return snapshot(from, to, true);
    }

    @Override
    public KeyValueIterator<Integer, byte[]> all() {
        return snapshot(null, null, false);
    }

    @Override
    public KeyValueIterator<Integer, byte[]> reverseAll() {
        return snapshot(null, null, true);
    }

    /** A copy: RocksDB's entries overlaid with the newer ones in memory, in key order. */
    private KeyValueIterator<Integer, byte[]> snapshot(Integer from, Integer to, boolean reverse) {
        TreeMap<Integer, byte[]> copy = new TreeMap<>();
        try (KeyValueIterator<Integer, byte[]> it = inner.all()) {
            while (it.hasNext()) {
                KeyValue<Integer, byte[]> kv = it.next();
                copy.put(kv.key, kv.value);
            }
        }
        for (Map.Entry<Integer, Entry> e : entries.entrySet()) {
            synchronized (e.getValue().state) {
                copy.put(e.getKey(), e.getValue().state.encode());
            }
        }
        NavigableMap<Integer, byte[]> view = copy;
        if (from != null || to != null) {
            view = copy.subMap(from == null ? Integer.MIN_VALUE : from, true, to == null ? Integer.MAX_VALUE : to, true);
        }
        if (reverse) {
            view = view.descendingMap();
        }
        Iterator<Map.Entry<Integer, byte[]>> it = view.entrySet().iterator();
        return new KeyValueIterator<>() {
            private Map.Entry<Integer, byte[]> peeked;

            @Override
            public boolean hasNext() {
                return peeked != null || it.hasNext();
            }

            @Override
            public KeyValue<Integer, byte[]> next() {
                Map.Entry<Integer, byte[]> e = peeked != null ? peeked : it.next();
                peeked = null;
                return KeyValue.pair(e.getKey(), e.getValue());
            }

            @Override
            public Integer peekNextKey() {
                if (peeked == null) {
                    peeked = it.next();
                }
                return peeked.getKey();
            }

            @Override
            public void close() {
            }
        };
    }
}

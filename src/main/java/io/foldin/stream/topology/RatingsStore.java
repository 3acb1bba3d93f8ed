package io.foldin.stream.topology;

import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The {@code user-ratings} store ({@link RatingKey}) with its writes held back in memory and written to
 * RocksDB in key order, one {@code WriteBatch} at a time ({@link #write()}: every publish interval and
 * before each commit). One put per rating was the largest item of ours in the stream threads' profile
 * (~0.18 core at 50k events/s, two thirds of it RocksDB's memtable skiplist insert, the rest JNI and
 * Streams' per-call metering); in key order each insert starts from where the previous one ended.
 * Measured on the twin at 50k events/s: the serving JVM's CPU went from 1.41 to 1.28 cores.
 *
 * <p>Durability is that of {@link StatsStore}: Streams calls {@link #beforeCommit()} before it flushes
 * the producer and commits the input offsets, so every committed offset has its ratings in RocksDB and
 * the changelog. Held writes are dropped on {@link #close()} (a task closed without commit restores).
 *
 * <p>Threads: the owning stream thread writes; interactive queries may read from any thread. Readers
 * copy the held writes of their key range before they open the RocksDB iterator, and the stream
 * thread drops held writes only after RocksDB has them, so a reader sees each write in one or both.
 */
final class RatingsStore extends LayeredStore<Bytes> {
    /** Marks a held delete. */
    private static final byte[] DELETED = new byte[0];

    /** Writes not yet in RocksDB, by {@code userId << 32 | itemId} (the order of the RocksDB keys). */
    private final ConcurrentSkipListMap<Long, byte[]> held = new ConcurrentSkipListMap<>();

    RatingsStore(KeyValueStore<Bytes, byte[]> inner) {
        super(inner);
    }

    // ---- the stream thread's API

    void put(int user, int item, byte[] value) {
        held.put(key(user, item), value);
    }

    void delete(int user, int item) {
        held.put(key(user, item), DELETED);
    }

    /** The stored value of the pair, or null. */
    byte[] get(int user, int item) {
        byte[] v = held.get(key(user, item));
        if (v != null) {
            return v == DELETED ? null : v;
        }
        return inner.get(Bytes.wrap(RatingKey.of(user, item)));
    }

    /** Writes the held writes to RocksDB (and the changelog) in key order, as one batch. */
    void write() {
        if (held.isEmpty()) {
            return;
        }
        List<KeyValue<Bytes, byte[]>> batch = new ArrayList<>(held.size());
        for (Map.Entry<Long, byte[]> e : held.entrySet()) {
            batch.add(KeyValue.pair(bytes(e.getKey()), e.getValue() == DELETED ? null : e.getValue()));
        }
        inner.putAll(batch);
        held.clear();
    }

    /** Writes not yet in RocksDB. */
    int held() {
        return held.size();
    }

    private static long key(int user, int item) {
        return (long) user << 32 | (item & 0xFFFFFFFFL);
    }

    private static long key(Bytes k) {
        byte[] b = k.get();
        return key(RatingKey.user(b), RatingKey.item(b));
    }

    /** The RocksDB key of {@link #key(int, int)}'s long. */
    private static Bytes bytes(long key) {
        return Bytes.wrap(RatingKey.of((int) (key >>> 32), (int) key));
    }

    // ---- Streams' hooks

    @Override
    void beforeCommit() {
        write();
    }

    @Override
    void discard() {
        held.clear();
    }

    // ---- reads, from any thread

    @Override
    public byte[] get(Bytes key) {
        byte[] b = key.get();
        return get(RatingKey.user(b), RatingKey.item(b));
    }

    /** Keys are 8-byte {@link RatingKey}s; {@code from} and {@code to} are inclusive. */
    @Override
    public KeyValueIterator<Bytes, byte[]> range(Bytes from, Bytes to) {
        TreeMap<Long, byte[]> copy = new TreeMap<>(held.subMap(key(from), true, key(to), true));
        return new Merged(copy, inner.range(from, to));
    }

    @Override
    public KeyValueIterator<Bytes, byte[]> all() {
        TreeMap<Long, byte[]> copy = new TreeMap<>(held);
        return new Merged(copy, inner.all());
    }

    @Override
    public long approximateNumEntries() {
        return inner.approximateNumEntries() + held.size();
    }

    /** RocksDB's entries with the held writes laid over them, in key order; held deletes are skipped. */
    private static final class Merged implements KeyValueIterator<Bytes, byte[]> {
        private final Iterator<Map.Entry<Long, byte[]>> held;
        private final KeyValueIterator<Bytes, byte[]> stored;
        private Map.Entry<Long, byte[]> h;
        private KeyValue<Bytes, byte[]> s;
        private KeyValue<Bytes, byte[]> next;

        Merged(TreeMap<Long, byte[]> held, KeyValueIterator<Bytes, byte[]> stored) {
            this.held = held.entrySet().iterator();
            this.stored = stored;
            this.h = this.held.hasNext() ? this.held.next() : null;
            this.s = stored.hasNext() ? stored.next() : null;
        }

        @Override
        public boolean hasNext() {
            while (next == null && (h != null || s != null)) {
                int order = h == null ? 1 : s == null ? -1 : Long.compare(h.getKey(), key(s.key));
                if (order <= 0) {
                    if (h.getValue() != DELETED) {
                        next = KeyValue.pair(bytes(h.getKey()), h.getValue());
                    }
                    h = held.hasNext() ? held.next() : null;
                    if (order == 0) {
                        s = stored.hasNext() ? stored.next() : null;
                    }
                } else {
                    next = s;
                    s = stored.hasNext() ? stored.next() : null;
                }
            }
            return next != null;
        }

        @Override
        public KeyValue<Bytes, byte[]> next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            KeyValue<Bytes, byte[]> r = next;
            next = null;
            return r;
        }

        @Override
        public Bytes peekNextKey() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return next.key;
        }

        @Override
        public void close() {
            stored.close();
        }
    }
}

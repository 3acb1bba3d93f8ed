package io.foldin.stream.topology;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The write-behind ratings store ({@link RatingsStore}) on a real RocksDB store against a sorted map:
 * every read sees the latest write whether it is held or written, held deletes hide stored values, and
 * what {@code write()} wrote survives a reopen.
 */
class RatingsStoreTest {
    @TempDir
    Path dir;

    private static final int USERS = 30;
    private static final int ITEMS = 40;

    private RatingsStore open() {
        return open(dir);
    }

    /** A ratings store on a real RocksDB store (no changelog) under {@code dir}. */
    static RatingsStore open(Path dir) {
        KeyValueStore<Bytes, byte[]> inner = org.apache.kafka.streams.state.Stores.keyValueStoreBuilder(
                org.apache.kafka.streams.state.Stores.persistentKeyValueStore(Stores.USER_RATINGS),
                Serdes.Bytes(), Serdes.ByteArray()).withLoggingDisabled().withCachingDisabled().build();
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "ratings-store-test");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "dummy:9092");
        File state = dir.toFile();
        RatingsStore store = new RatingsStore(inner);
        store.init(new MockProcessorContext<>(p, new TaskId(0, 0), state).getStateStoreContext(), store);
        return store;
    }

    @Test
    void readsSeeHeldAndWrittenWritesAlike() {
        Random rng = new Random(42);
        TreeMap<Long, byte[]> expected = new TreeMap<>();
        RatingsStore store = open();
        for (int op = 0; op < 20_000; op++) {
            int user = rng.nextInt(USERS);
            int item = rng.nextInt(ITEMS);
            int kind = rng.nextInt(100);
            if (kind < 60) {
                byte[] v = RatingKey.value(0.5f * (1 + rng.nextInt(10)), op);
                store.put(user, item, v);
                expected.put(pair(user, item), v);
            } else if (kind < 75) {
                store.delete(user, item);
                expected.remove(pair(user, item));
            } else if (kind < 78) {
                store.write();
                assertEquals(0, store.held());
            } else if (kind < 90) {
                assertArrayEquals(expected.get(pair(user, item)), store.get(user, item), "get at op " + op);
                assertArrayEquals(expected.get(pair(user, item)), store.get(Bytes.wrap(RatingKey.of(user, item))));
            } else if (kind < 99) {
                assertEquals(slice(expected, user, user), read(store.range(Bytes.wrap(RatingKey.first(user)),
                        Bytes.wrap(RatingKey.last(user)))), "range of user " + user + " at op " + op);
                int[] items = RatingKey.ratedItems(store, user);
                assertEquals(slice(expected, user, user).size(), items.length);
            } else {
                assertEquals(toStrings(expected), read(store.all()), "all at op " + op);
            }
        }
        assertTrue(store.held() > 0, "the run ends with writes held");
        store.flushCache();
        store.close();

        RatingsStore reopened = open();
        assertEquals(toStrings(expected), read(reopened.all()), "written before close, read after reopen");
        reopened.put(3, 7, RatingKey.value(4f, 1));
        reopened.close();
        RatingsStore again = open();
        byte[] last = expected.get(pair(3, 7));
        assertArrayEquals(last, again.get(3, 7), "held at close: dropped, as a task closed without commit");
        again.close();
    }

    @Test
    void aHeldDeleteHidesTheStoredValue() {
        RatingsStore store = open();
        store.put(1, 2, RatingKey.value(3f, 10));
        store.put(1, 3, RatingKey.value(4f, 11));
        store.write();
        store.delete(1, 2);
        assertNull(store.get(1, 2));
        assertEquals(Map.of(pair(1, 3), "4.0@11"), read(store.range(Bytes.wrap(RatingKey.first(1)),
                Bytes.wrap(RatingKey.last(1)))));
        store.write();
        assertNull(store.get(1, 2));
        assertEquals(1, read(store.all()).size());
        store.close();
    }

    private static long pair(int user, int item) {
        return (long) user << 32 | item;
    }

    private static TreeMap<Long, String> slice(TreeMap<Long, byte[]> m, int fromUser, int toUser) {
        return toStrings(m.subMap(pair(fromUser, 0), true, pair(toUser, Integer.MAX_VALUE), true));
    }

    private static TreeMap<Long, String> toStrings(Map<Long, byte[]> m) {
        TreeMap<Long, String> out = new TreeMap<>();
        m.forEach((k, v) -> out.put(k, RatingKey.rating(v) + "@" + RatingKey.timestamp(v)));
        return out;
    }

    /** The iterator's entries in its order; fails if the keys are not strictly ascending. */
    private static TreeMap<Long, String> read(KeyValueIterator<Bytes, byte[]> it) {
        TreeMap<Long, String> out = new TreeMap<>();
        long last = -1;
        try (it) {
            while (it.hasNext()) {
                KeyValue<Bytes, byte[]> kv = it.next();
                byte[] k = kv.key.get();
                long p = pair(RatingKey.user(k), RatingKey.item(k));
                assertTrue(p > last, "keys ascending");
                last = p;
                out.put(p, RatingKey.rating(kv.value) + "@" + RatingKey.timestamp(kv.value));
            }
        }
        return out;
    }
}

package io.foldin.stream.topology;

import io.foldin.model.AlsParams;
import io.foldin.stream.live.ModelEpoch;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.IntegerDeserializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The in-memory statistics in front of RocksDB ({@link StatsStore}) in the real topology: what is
 * committed is in the changelog, a small memory bound changes no result, and interactive queries
 * see the latest state.
 */
class StatsStoreTest {
    @TempDir
    Path dir;

    private static final int USERS = 40;
    private static final int ITEMS = 25;

    private TopologyFixture fixture(Path state, int cacheEntries) {
        StreamConfig c = StreamConfig.defaults("dummy:9092", state).withParams(AlsParams.DEFAULT).withInitialMean(3.5)
                .withSweep(new StreamConfig.Sweep(0, 0, 5, 0.0, 1)).withStatsCacheEntries(cacheEntries);
        return new TopologyFixture(c, ModelEpoch.initial(3.5, AlsParams.DEFAULT.factors()));
    }

    /** 600 ratings with re-rates, fixed seed; every ~50 a publish interval passes. */
    private static void stream(TopologyFixture t) {
        Random rnd = new Random(7);
        for (int i = 0; i < 600; i++) {
            t.rate(1 + rnd.nextInt(USERS), 1 + rnd.nextInt(ITEMS), 0.5f * (1 + rnd.nextInt(10)));
        }
    }

    @Test
    void everyCommittedStateIsInTheChangelog() {
        try (TopologyFixture t = fixture(dir.resolve("a"), 20_000)) {
            stream(t);
            Map<Integer, byte[]> logged = new HashMap<>();
            for (String store : new String[] {Stores.USER_STATS, Stores.ITEM_STATS}) {
                logged.clear();
                var log = t.driver.createOutputTopic("ttd-" + store + "-changelog", new IntegerDeserializer(),
                        new ByteArrayDeserializer());
                for (KeyValue<Integer, byte[]> kv : log.readKeyValuesToList()) {
                    logged.put(kv.key, kv.value);
                }
                StatsStore s = t.stats(store);
                int n = store.equals(Stores.USER_STATS) ? USERS : ITEMS;
                assertEquals(n, logged.size(), store + ": every entity logged");
                for (int id = 1; id <= n; id++) {
                    EntityState latest = EntityState.decode(s.get(id), 20);
                    EntityState fromLog = EntityState.decode(logged.get(id), 20);
                    // the driver commits after every record; the factor may be re-solved after the last commit
                    assertEquals(latest.count(), fromLog.count(), store + " " + id);
                    assertArrayEquals(latest.stats().gram(), fromLog.stats().gram(), 0.0, store + " " + id);
                    assertArrayEquals(latest.stats().target(), fromLog.stats().target(), 0.0, store + " " + id);
                }
            }
        }
    }

    @Test
    void aSmallMemoryBoundChangesNoResult() {
        Map<Integer, byte[]> roomy = new HashMap<>();
        try (TopologyFixture t = fixture(dir.resolve("roomy"), 20_000)) {
            stream(t);
            for (int u = 1; u <= USERS; u++) {
                roomy.put(u, t.stats(Stores.USER_STATS).get(u));
            }
            for (int i = 1; i <= ITEMS; i++) {
                roomy.put(-i, t.stats(Stores.ITEM_STATS).get(i));
            }
        }
        try (TopologyFixture t = fixture(dir.resolve("tight"), 3)) {
            stream(t);
            StatsStore users = t.stats(Stores.USER_STATS);
            assertTrue(users.held() <= 3 + 1, "memory trimmed at commits, held " + users.held());
            for (int u = 1; u <= USERS; u++) {
                assertArrayEquals(roomy.get(u), users.get(u), "user " + u);
            }
            for (int i = 1; i <= ITEMS; i++) {
                assertArrayEquals(roomy.get(-i), t.stats(Stores.ITEM_STATS).get(i), "item " + i);
            }
        }
    }

    @Test
    void interactiveQueriesSeeTheLatestStateInKeyOrder() {
        try (TopologyFixture t = fixture(dir.resolve("q"), 5)) {
            stream(t);
            t.rate(7, 3, 5f);
            StatsStore s = t.stats(Stores.USER_STATS);
            int[] keys = new int[USERS];
            int n = 0;
            try (KeyValueIterator<Integer, byte[]> it = s.all()) {
                while (it.hasNext()) {
                    KeyValue<Integer, byte[]> kv = it.next();
                    keys[n++] = kv.key;
                    assertArrayEquals(s.get(kv.key), kv.value, "user " + kv.key);
                }
            }
            int[] expected = new int[USERS];
            Arrays.setAll(expected, i -> i + 1);
            assertArrayEquals(expected, Arrays.copyOf(keys, n));
            try (KeyValueIterator<Integer, byte[]> it = s.range(10, 12)) {
                assertEquals(10, it.peekNextKey());
                assertEquals(10, it.next().key);
                assertEquals(11, it.next().key);
                assertEquals(12, it.next().key);
                assertTrue(!it.hasNext());
            }
            try (KeyValueIterator<Integer, byte[]> it = s.reverseAll()) {
                assertEquals(USERS, it.next().key);
            }
            assertNotNull(t.userState(7));
        }
    }

    /**
     * writeIdle writes a state once it has gone {@code idleTicks} calls without a change and keeps the
     * others for the commit; a state changed again after its early write is written again.
     */
    @Test
    void idleStatesAreWrittenAheadOfTheCommit() {
        KeyValueStore<Integer, byte[]> inner = org.apache.kafka.streams.state.Stores.keyValueStoreBuilder(
                org.apache.kafka.streams.state.Stores.inMemoryKeyValueStore("s"), Serdes.Integer(), Serdes.ByteArray())
                .withLoggingDisabled().build();
        inner.init(new MockProcessorContext<>().getStateStoreContext(), inner);
        StatsStore s = new StatsStore(inner, 20, 100);
        float[] y = new float[21];
        y[0] = 1f;
        y[20] = 1f;
        double[] tmp = new double[21];
        s.edit(1).stats().change(y, 0, 4f, Float.NaN, 3.5, tmp);
        s.edit(2).stats().change(y, 0, 3f, Float.NaN, 3.5, tmp);
        s.writeIdle(2);
        assertNull(inner.get(1), "changed this tick: not idle yet");
        s.edit(2).stats().change(y, 0, 5f, Float.NaN, 3.5, tmp);
        s.writeIdle(2);
        assertNull(inner.get(1), "one tick idle of two");
        s.writeIdle(2);
        assertEquals(1, EntityState.decode(inner.get(1), 20).count(), "two ticks idle: written");
        assertNull(inner.get(2), "changed a tick later: still waits");
        s.edit(1).stats().change(y, 0, 2f, Float.NaN, 3.5, tmp);
        s.flushCache();
        assertEquals(2, EntityState.decode(inner.get(1), 20).count(), "changed again after its early write");
        assertEquals(2, EntityState.decode(inner.get(2), 20).count(), "the commit writes the rest");
    }
}

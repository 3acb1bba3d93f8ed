package io.foldin.stream.live;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RatedItemsTest {

    @Test
    void loadsOnceThenFollowsAddsAndDeletes() {
        RatedItems idx = new RatedItems(1000);
        idx.open(0);
        AtomicInteger loads = new AtomicInteger();
        RatedItems.Loader loader = u -> {
            loads.incrementAndGet();
            return new int[] {3, 7};
        };
        assertArrayEquals(new int[] {3, 7}, idx.get(0, 1, loader).toArray());
        idx.added(0, 1, 5);
        idx.added(0, 1, 5);
        idx.added(0, 1, 9);
        idx.added(0, 1, 1);
        idx.removed(0, 1, 7);
        idx.removed(0, 1, 8);
        assertArrayEquals(new int[] {1, 3, 5, 9}, idx.get(0, 1, loader).toArray());
        assertEquals(1, loads.get());
        assertEquals(4, idx.size());
    }

    @Test
    void writesToUsersNotLoadedAreLeftToTheLoad() {
        RatedItems idx = new RatedItems(1000);
        idx.open(2);
        idx.added(2, 1, 5);
        assertEquals(0, idx.size());
        assertArrayEquals(new int[] {4}, idx.get(2, 1, u -> new int[] {4}).toArray());
    }

    @Test
    void aPartitionNotOpenHereIsReadThroughEveryTime() {
        RatedItems idx = new RatedItems(1000);
        AtomicInteger loads = new AtomicInteger();
        idx.get(1, 1, u -> new int[loads.incrementAndGet()]);
        idx.get(1, 1, u -> new int[loads.incrementAndGet()]);
        assertEquals(2, loads.get());
        assertEquals(0, idx.size());
    }

    @Test
    void reopeningAPartitionStartsEmpty() {
        RatedItems idx = new RatedItems(1000);
        idx.open(0);
        idx.get(0, 1, u -> new int[] {1, 2});
        idx.close(0);
        assertEquals(0, idx.size());
        idx.open(0);
        assertArrayEquals(new int[] {9}, idx.get(0, 1, u -> new int[] {9}).toArray());
    }

    @Test
    void staysNearItsBound() {
        RatedItems idx = new RatedItems(100);
        idx.open(0);
        for (int u = 0; u < 1000; u++) {
            int n = u % 7;
            int[] items = new int[n];
            for (int i = 0; i < n; i++) {
                items[i] = i;
            }
            assertEquals(n, idx.get(0, u, x -> items).size());
            assertTrue(idx.size() <= 100, "size " + idx.size());
        }
        assertTrue(idx.size() >= 80, "trimmed to 90%, size " + idx.size());
    }

    /**
     * A writer stores ratings (first in the "store", then in the index) while readers load and read the
     * same users: at the end every user's entry equals the store, whatever the interleaving.
     */
    @Test
    void concurrentLoadsNeverMissAWrite() throws Exception {
        int users = 50;
        @SuppressWarnings("unchecked")
        ConcurrentSkipListSet<Integer>[] store = new ConcurrentSkipListSet[users];
        for (int u = 0; u < users; u++) {
            store[u] = new ConcurrentSkipListSet<>();
        }
        RatedItems.Loader loader = u -> {
            int[] a = store[u].stream().mapToInt(Integer::intValue).toArray();
            Thread.onSpinWait();
            return a;
        };
        for (int round = 0; round < 20; round++) {
            RatedItems idx = new RatedItems(1_000_000);
            idx.open(0);
            for (ConcurrentSkipListSet<Integer> s : store) {
                s.clear();
            }
            int seed = round;
            Thread writer = new Thread(() -> {
                SplittableRandom rnd = new SplittableRandom(seed);
                for (int i = 0; i < 20_000; i++) {
                    int u = rnd.nextInt(users);
                    int item = rnd.nextInt(200);
                    if (rnd.nextInt(4) == 0) {
                        store[u].remove(item);
                        idx.removed(0, u, item);
                    } else {
                        store[u].add(item);
                        idx.added(0, u, item);
                    }
                }
            });
            Thread reader = new Thread(() -> {
                SplittableRandom rnd = new SplittableRandom(seed + 100);
                for (int i = 0; i < 20_000; i++) {
                    idx.get(0, rnd.nextInt(users), loader);
                }
            });
            writer.start();
            reader.start();
            writer.join();
            reader.join();
            for (int u = 0; u < users; u++) {
                assertArrayEquals(loader.load(u), idx.get(0, u, loader).toArray(), "round " + round + " user " + u);
            }
        }
    }
}

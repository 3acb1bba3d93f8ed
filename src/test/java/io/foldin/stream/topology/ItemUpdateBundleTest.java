package io.foldin.stream.topology;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The item-update bundles: every update arrives once, at its item's partition, in order, bit for bit. */
class ItemUpdateBundleTest {
    private static final int D = 20;
    private static final int PARTITIONS = 4;

    private record Sent(int partition, byte[] bundle, long newest) {
    }

    private record Entry(int item, long timestamp, ItemUpdate update) {
    }

    @Test
    void everyUpdateArrivesOnceAtItsPartitionInOrder() {
        Random rnd = new Random(7);
        List<Sent> sent = new ArrayList<>();
        ItemUpdateBundle.Buffers buffers = new ItemUpdateBundle.Buffers(D, PARTITIONS,
                (p, b, t) -> sent.add(new Sent(p, b, t)));
        List<List<Entry>> expected = new ArrayList<>();
        for (int p = 0; p < PARTITIONS; p++) {
            expected.add(new ArrayList<>());
        }
        for (int i = 0; i < 5_000; i++) {
            Entry e = new Entry(rnd.nextInt(100_000), 1_000_000L + rnd.nextInt(10_000), randomUpdate(rnd));
            expected.get(ItemUpdateBundle.partitionOf(e.item(), PARTITIONS)).add(e);
            buffers.add(e.item(), e.timestamp(), e.update());
            if (i % 700 == 0) {
                buffers.sendAll();
            }
        }
        assertFalse(buffers.isEmpty());
        buffers.sendAll();
        assertTrue(buffers.isEmpty());

        List<List<Entry>> received = new ArrayList<>();
        for (int p = 0; p < PARTITIONS; p++) {
            received.add(new ArrayList<>());
        }
        ItemUpdateBundle.Reader reader = new ItemUpdateBundle.Reader(D);
        for (Sent s : sent) {
            assertTrue(ItemUpdateBundle.count(s.bundle()) > 0, "no empty bundles");
            long newest = Long.MIN_VALUE;
            float[] y = new float[D + 1];
            reader.of(s.bundle());
            while (reader.next(y)) {
                assertEquals(s.partition(), ItemUpdateBundle.partitionOf(reader.item(), PARTITIONS));
                received.get(s.partition()).add(new Entry(reader.item(), reader.timestamp(), new ItemUpdate(
                        reader.kind(), reader.userId(), reader.rating(), reader.previous(), reader.epoch(), y.clone())));
                newest = Math.max(newest, reader.timestamp());
            }
            assertEquals(newest, s.newest(), "a bundle carries its newest timestamp");
        }
        for (int p = 0; p < PARTITIONS; p++) {
            assertEquals(expected.get(p).size(), received.get(p).size());
            for (int i = 0; i < expected.get(p).size(); i++) {
                assertSame(expected.get(p).get(i), received.get(p).get(i));
            }
        }
    }

    @Test
    void aFullBundleIsSentBeforeItWouldGrowPastTheLimit() {
        List<Sent> sent = new ArrayList<>();
        ItemUpdateBundle.Buffers buffers = new ItemUpdateBundle.Buffers(D, 1, (p, b, t) -> sent.add(new Sent(p, b, t)));
        int perBundle = (ItemUpdateBundle.MAX_BYTES - ItemUpdateBundle.HEADER_BYTES) / ItemUpdateBundle.entryBytes(D);
        Random rnd = new Random(3);
        int n = 2 * perBundle + 5;
        for (int i = 0; i < n; i++) {
            buffers.add(i, i, randomUpdate(rnd));
        }
        assertEquals(2, sent.size(), "two full bundles sent while adding");
        buffers.sendAll();
        assertEquals(List.of(perBundle, perBundle, 5), sent.stream().map(s -> ItemUpdateBundle.count(s.bundle())).toList());
        sent.forEach(s -> assertTrue(s.bundle().length <= ItemUpdateBundle.MAX_BYTES));
    }

    @Test
    void clearDropsWhatWasNotSent() {
        List<Sent> sent = new ArrayList<>();
        ItemUpdateBundle.Buffers buffers = new ItemUpdateBundle.Buffers(D, 2, (p, b, t) -> sent.add(new Sent(p, b, t)));
        buffers.add(1, 1, randomUpdate(new Random(1)));
        buffers.clear();
        assertTrue(buffers.isEmpty());
        buffers.sendAll();
        assertEquals(0, sent.size());
    }

    @Test
    void aBundleOfAnotherDimensionIsRejected() {
        byte[] bundle = ItemUpdateBundle.of(5, 1L, randomUpdate(new Random(2)));
        assertEquals(1, ItemUpdateBundle.count(bundle));
        assertThrows(IllegalArgumentException.class, () -> new ItemUpdateBundle.Reader(D + 1).of(bundle));
        assertThrows(IllegalArgumentException.class, () -> new ItemUpdateBundle.Reader(D).of(new byte[3]));
    }

    private static ItemUpdate randomUpdate(Random rnd) {
        ItemUpdate.Kind kind = ItemUpdate.Kind.values()[rnd.nextInt(3)];
        float[] y = new float[D + 1];
        for (int a = 0; a <= D; a++) {
            y[a] = (float) rnd.nextGaussian();
        }
        float previous = kind == ItemUpdate.Kind.ADD ? Float.NaN : 0.5f * (1 + rnd.nextInt(10));
        return new ItemUpdate(kind, rnd.nextInt(1_000_000), 0.5f * (1 + rnd.nextInt(10)), previous, rnd.nextInt(5), y);
    }

    private static void assertSame(Entry want, Entry got) {
        assertEquals(want.item(), got.item());
        assertEquals(want.timestamp(), got.timestamp());
        ItemUpdate w = want.update();
        ItemUpdate g = got.update();
        assertEquals(w.kind(), g.kind());
        assertEquals(w.userId(), g.userId());
        assertEquals(w.rating(), g.rating());
        assertEquals(Float.floatToIntBits(w.previous()), Float.floatToIntBits(g.previous()));
        assertEquals(w.epoch(), g.epoch());
        assertArrayEquals(w.y(), g.y());
    }
}

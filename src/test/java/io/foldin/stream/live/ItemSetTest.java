package io.foldin.stream.live;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ItemSetTest {

    /** Random adds and removes against a TreeSet, past many merges of the run into the base. */
    @Test
    void followsASortedSetThroughAddsRemovesAndMerges() {
        SplittableRandom rnd = new SplittableRandom(7);
        TreeSet<Integer> ref = new TreeSet<>();
        ItemSet set = ItemSet.of(new int[] {2, 4, 8});
        ref.add(2);
        ref.add(4);
        ref.add(8);
        for (int step = 0; step < 20_000; step++) {
            int item = rnd.nextInt(5_000);
            if (rnd.nextInt(10) == 0) {
                set = set.without(item);
                ref.remove(item);
            } else {
                set = set.with(item);
                ref.add(item);
            }
            int probe = rnd.nextInt(5_000);
            assertEquals(ref.contains(probe), set.contains(probe), "step " + step + " probe " + probe);
            assertEquals(ref.size(), set.size(), "step " + step);
        }
        assertArrayEquals(ref.stream().mapToInt(Integer::intValue).toArray(), set.toArray());
    }

    @Test
    void unchangedSetsAreTheSameInstanceAndSnapshotsStayPut() {
        ItemSet a = ItemSet.of(new int[] {1, 5});
        assertSame(a, a.with(5));
        assertSame(a, a.without(3));
        ItemSet b = a.with(3);
        assertFalse(a.contains(3), "an older snapshot does not see later additions");
        assertTrue(b.contains(3));
        assertArrayEquals(new int[] {1, 3, 5}, b.toArray());
        assertArrayEquals(new int[] {1, 5}, b.without(3).toArray());
        assertArrayEquals(new int[] {3, 5}, b.without(1).toArray());
        assertEquals(0, ItemSet.EMPTY.size());
        assertFalse(ItemSet.EMPTY.contains(0));
    }
}

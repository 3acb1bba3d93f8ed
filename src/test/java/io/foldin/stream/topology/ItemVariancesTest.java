package io.foldin.stream.topology;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** When an item's carried variances are re-sent and when they are recomputed. */
class ItemVariancesTest {
    @Test
    void reSentUntilTheCountGrowsByTheRefreshFractionOrFalls() {
        ItemVariances v = new ItemVariances();
        assertNull(v.fresh(7, 100), "never computed");
        float[] work = {0.5f, 0.25f, 0.125f};
        v.computed(7, 100, work);
        work[0] = 9f; // the caller reuses its array: the cache holds a copy
        assertArrayEquals(new float[] {0.5f, 0.25f, 0.125f}, v.fresh(7, 100));
        assertArrayEquals(new float[] {0.5f, 0.25f, 0.125f}, v.fresh(7, 110), "10% more ratings: still fresh");
        assertNull(v.fresh(7, 111), "more than 10% more: recompute");
        assertNull(v.fresh(7, 99), "a deletion: recompute");
        assertNull(v.fresh(8, 100), "per item");
        v.computed(3, 0, work);
        assertArrayEquals(work, v.fresh(3, 0));
        assertNull(v.fresh(3, 1), "from no ratings, the first one recomputes");
        v.forget(7);
        assertNull(v.fresh(7, 100));
    }
}

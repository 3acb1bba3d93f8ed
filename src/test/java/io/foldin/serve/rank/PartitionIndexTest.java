package io.foldin.serve.rank;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link PartitionIndex} against the exact scan ({@link ItemScan}, scalar kernel, which {@code ItemScanTest}
 * checks against the naive score): the bound-stopped search is exact, the approximate one keeps recall@10,
 * and updates are found. Fixed seeds throughout.
 */
class PartitionIndexTest {
    private static final int D = 20;
    private static final int STRIDE = D + 1;

    /** The exact scan's top {@code k}: rows and scores, best first. */
    private static TopK exact(float[] x, int n, float[] u, float w, int[] counts, int minCount, int skip, int k) {
        ItemColumns cols = new ItemColumns(D);
        for (int r = 0; r < n; r++) {
            cols.set(r, x, r * STRIDE);
        }
        TopK top = new TopK(k);
        new ScalarItemScan().scan(cols.view(), n, u, w, false, counts, minCount, skip, top);
        top.sortDescending();
        return top;
    }

    private static TopK indexed(PartitionIndex idx, int n, float[] u, float w, int[] counts, int minCount, int skip,
                                int k, int probes) {
        TopK top = new TopK(k);
        idx.search(u, w, counts, n, minCount, skip, top, probes, new PartitionIndex.Search());
        top.sortDescending();
        return top;
    }

    private static void assertSame(TopK want, TopK got, String what) {
        assertEquals(want.size(), got.size(), what);
        for (int i = 0; i < want.size(); i++) {
            assertEquals(want.row(i), got.row(i), what + " rank " + i);
            assertEquals(want.score(i), got.score(i), 0f, what + " rank " + i); // bit for bit: the same fma order
        }
    }

    private static int[] counts(int n, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int[] c = new int[n];
        for (int r = 0; r < n; r++) {
            c[r] = rnd.nextInt(5);
        }
        return c;
    }

    @Test
    void boundStoppedSearchEqualsTheExactScan() {
        int n = 20_000;
        for (float[] x : new float[][] {SyntheticFactors.random(n, D, 1), SyntheticFactors.clustered(n, D, 2)}) {
            PartitionIndex idx = PartitionIndex.build(x, STRIDE, n, LiveIndex.cellsFor(n), 7);
            int[] counts = counts(n, 3);
            float[][] users = SyntheticFactors.users(30, D, 4);
            for (float[] u : users) {
                for (float w : new float[] {0f, 0.1f, 1f, -0.5f}) {
                    for (int k : new int[] {1, 10, 60}) {
                        int min = k == 60 ? 2 : 0;
                        int skip = k == 10 ? 17 : -1;
                        assertSame(exact(x, n, u, w, counts, min, skip, k),
                                indexed(idx, n, u, w, counts, min, skip, k, Integer.MAX_VALUE), "w " + w + " k " + k);
                    }
                }
            }
        }
    }

    /** recall@10 of the approximate search (default probes) against the exact scan, over 200 users. */
    private static double recall(float[] x, int n, int probes) {
        PartitionIndex idx = PartitionIndex.build(x, STRIDE, n, LiveIndex.cellsFor(n), 7);
        int[] counts = new int[n];
        int hits = 0;
        float[][] users = SyntheticFactors.users(200, D, 5);
        for (float[] u : users) {
            TopK want = exact(x, n, u, 0.1f, counts, 0, -1, 10);
            TopK got = indexed(idx, n, u, 0.1f, counts, 0, -1, 10, probes);
            Set<Integer> s = new HashSet<>();
            for (int i = 0; i < 10; i++) {
                s.add(want.row(i));
            }
            for (int i = 0; i < got.size(); i++) {
                hits += s.contains(got.row(i)) ? 1 : 0;
            }
        }
        return hits / (10.0 * users.length);
    }

    @Test
    void recallAt10OfABudgetOf64CellsOnClusteredPowerLawFactors() {
        int n = 50_000;
        double r = recall(SyntheticFactors.clustered(n, D, 11), n, 64);
        assertTrue(r >= 0.98, "recall@10 " + r);
        assertEquals(1.0, recall(SyntheticFactors.clustered(n, D, 11), n, PartitionIndex.DEFAULT_PROBES), 0.0,
                "the default stops by the bound alone: exact");
    }

    @Test
    void recallAt10OnRandomFactorsRisesWithProbesToOne() {
        // i.i.d. Gaussian rows in 21 dimensions have no structure to find: the hardest case for any partition
        int n = 20_000;
        float[] x = SyntheticFactors.random(n, D, 12);
        double few = recall(x, n, 4);
        double half = recall(x, n, LiveIndex.cellsFor(n) / 2);
        double all = recall(x, n, Integer.MAX_VALUE);
        assertTrue(few < half && half < all, few + " " + half + " " + all);
        assertEquals(1.0, all, 0.0);
        assertTrue(half >= 0.9, "half the cells: " + half);
    }

    @Test
    void updatesAndNewRowsAreFoundExactly() {
        int n = 10_000;
        float[] x = SyntheticFactors.clustered(n + 500, D, 21);
        PartitionIndex idx = PartitionIndex.build(x, STRIDE, n, LiveIndex.cellsFor(n), 7);
        SplittableRandom rnd = new SplittableRandom(22);
        float[] fresh = SyntheticFactors.random(3000, D, 23);
        for (int j = 0; j < 3000; j++) {
            int row = rnd.nextInt(n);
            float scale = j % 100 == 0 ? 6f : 1f; // some rows jump far out: they must move cells
            for (int a = 0; a < STRIDE; a++) {
                x[row * STRIDE + a] = scale * fresh[j * STRIDE + a];
            }
            idx.put(row, x, row * STRIDE);
        }
        for (int r = n; r < n + 500; r++) {
            idx.put(r, x, r * STRIDE);
        }
        assertEquals(n + 500, idx.rows());
        int[] counts = new int[n + 500];
        for (float[] u : SyntheticFactors.users(40, D, 24)) {
            assertSame(exact(x, n + 500, u, 0.1f, counts, 0, -1, 20),
                    indexed(idx, n + 500, u, 0.1f, counts, 0, -1, 20, Integer.MAX_VALUE), "after updates");
        }
        // a row turned towards the query with a large norm is its best item, whatever cell it was in
        float[] u = SyntheticFactors.users(1, D, 25)[0];
        int row = 1234;
        for (int a = 0; a < D; a++) {
            x[row * STRIDE + a] = 10 * u[a];
        }
        idx.put(row, x, row * STRIDE);
        assertEquals(row, indexed(idx, n + 500, u, 0.1f, counts, 0, -1, 10, PartitionIndex.DEFAULT_PROBES).row(0));
    }

    @Test
    void aSmallTableAndFewerRowsThanCells() {
        float[] x = SyntheticFactors.random(5, D, 31);
        PartitionIndex idx = PartitionIndex.build(x, STRIDE, 5, 16, 7);
        float[] u = SyntheticFactors.users(1, D, 32)[0];
        int[] counts = new int[5];
        TopK got = indexed(idx, 5, u, 1f, counts, 0, -1, 10, 1);
        TopK want = exact(x, 5, u, 1f, counts, 0, -1, 10);
        assertSame(want, got, "5 rows");
        int[] rows = new int[got.size()];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = got.row(i);
        }
        assertArrayEquals(new int[] {want.row(0), want.row(1), want.row(2), want.row(3), want.row(4)}, rows);
    }
}

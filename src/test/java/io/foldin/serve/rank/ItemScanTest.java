package io.foldin.serve.rank;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The scan kernels: single queries against a naive row-by-row reference in double precision, and
 * batches against single-query scans and a brute-force sort of the defined float scores, bit for bit.
 */
class ItemScanTest {
    static final int D = 20;

    record Table(float[] rows, int[] counts, ItemColumns columns) {
    }

    static Table table(SplittableRandom rnd, int n) {
        float[] rows = new float[n * (D + 1)];
        for (int j = 0; j < rows.length; j++) {
            rows[j] = (float) (rnd.nextGaussian() * 0.5);
        }
        int[] counts = new int[n];
        ItemColumns c = new ItemColumns(D);
        for (int r = 0; r < n; r++) {
            counts[r] = rnd.nextInt(30);
            c.set(r, rows, r * (D + 1));
        }
        return new Table(rows, counts, c);
    }

    /** Reference scores in double: u·V + w b, or the cosine u·V / (‖u‖ ‖V‖). */
    static double[] reference(Table t, float[] u, float w, boolean cosine) {
        int n = t.counts().length;
        double[] s = new double[n];
        double nu = 0;
        for (int a = 0; a < D; a++) {
            nu += (double) u[a] * u[a];
        }
        for (int r = 0; r < n; r++) {
            double dot = 0;
            double nv = 0;
            for (int a = 0; a < D; a++) {
                float v = t.rows()[r * (D + 1) + a];
                dot += (double) u[a] * v;
                nv += (double) v * v;
            }
            s[r] = cosine ? dot / Math.sqrt(nu * nv) : dot + w * t.rows()[r * (D + 1) + D];
        }
        return s;
    }

    static int[] naiveTop(double[] s, int[] counts, int minCount, int skip, int k) {
        return java.util.stream.IntStream.range(0, s.length).filter(r -> counts[r] >= minCount && r != skip).boxed()
                .sorted((a, b) -> Double.compare(s[b], s[a])).limit(k).mapToInt(Integer::intValue).toArray();
    }

    @Test
    void rankingMatchesTheNaiveScanAcrossTilesBiasWeightsAndMinimumCounts() {
        SplittableRandom rnd = new SplittableRandom(3);
        ItemScan scan = ItemScan.create();
        TopK top = new TopK(10);
        for (int trial = 0; trial < 40; trial++) {
            int n = rnd.nextInt(1, 3 * ScalarItemScan.TILE + 7);
            Table t = table(rnd, n);
            float[] u = new float[D + 1];
            for (int a = 0; a <= D; a++) {
                u[a] = (float) rnd.nextGaussian();
            }
            float w = new float[] {0f, 0.5f, 1f, 2f}[trial % 4];
            int min = trial % 3 == 0 ? 0 : rnd.nextInt(25);
            int k = rnd.nextInt(1, 30);
            top.reset(k);
            scan.scan(t.columns().view(), n, u, w, false, t.counts(), min, -1, top);
            top.sortDescending();
            double[] ref = reference(t, u, w, false);
            int[] want = naiveTop(ref, t.counts(), min, -1, k);
            assertEquals(want.length, top.size());
            for (int i = 0; i < want.length; i++) {
                // Float vs double sums may swap near-ties: compare scores, then rows where clearly apart.
                assertEquals(ref[want[i]], top.score(i), 1e-4, "trial " + trial + " rank " + i);
                assertEquals(ref[top.row(i)], top.score(i), 1e-4);
            }
        }
    }

    @Test
    void cosineSkipsTheQueryRowAndMatchesTheReference() {
        SplittableRandom rnd = new SplittableRandom(5);
        Table t = table(rnd, 2000);
        int q = 17;
        float[] u = new float[D + 1];
        System.arraycopy(t.rows(), q * (D + 1), u, 0, D + 1);
        double nu = 0;
        for (int a = 0; a < D; a++) {
            nu += (double) u[a] * u[a];
        }
        TopK top = new TopK(15);
        ItemScan.create().scan(t.columns().view(), 2000, u, 0f, true, t.counts(), 0, q, top);
        top.sortDescending();
        double[] ref = reference(t, u, 0f, true);
        int[] want = naiveTop(ref, t.counts(), 0, q, 15);
        int[] got = new int[top.size()];
        for (int i = 0; i < got.length; i++) {
            got[i] = top.row(i);
            assertEquals(ref[got[i]], top.score(i) / Math.sqrt(nu), 1e-5);
        }
        assertArrayEquals(want, got);
    }

    @Test
    void columnsGrowAndKeepNorms() {
        ItemColumns c = new ItemColumns(2);
        c.set(5000, new float[] {3f, 4f, 1f}, 0);
        ItemColumns.View v = c.view();
        assertEquals(5001, v.size());
        assertEquals(3f, v.cols()[0][5000]);
        assertEquals(1f, v.cols()[2][5000]);
        assertEquals(0.2f, v.invNorm()[5000], 1e-7);
        assertEquals(0f, v.invNorm()[0]);
    }

    /** Both kernels; the vector one only where the JVM has the module (the build's tests do). */
    static List<ItemScan> kernels() {
        List<ItemScan> k = new ArrayList<>(List.of(new ScalarItemScan()));
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
            k.add(new VectorItemScan());
        }
        return k;
    }

    /** Eligible rows by defined score (NaN never), best first, ties by the lower row; -0 ties +0 as in TopK. */
    static int[] bruteForce(ItemColumns.View v, int rows, int[] counts, ScanQuery q, int k) {
        float[] s = new float[rows];
        for (int r = 0; r < rows; r++) {
            s[r] = ItemScan.score(v, r, q.u(), q.biasWeight(), q.cosine());
        }
        return IntStream.range(0, rows).filter(r -> !Float.isNaN(s[r]) && counts[r] >= q.minCount() && r != q.skipRow())
                .boxed().sorted((a, b) -> s[a] != s[b] ? Float.compare(s[b], s[a]) : Integer.compare(a, b))
                .limit(k).mapToInt(Integer::intValue).toArray();
    }

    static int[] rows(TopK top) {
        top.sortDescending();
        int[] r = new int[top.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = top.row(i);
        }
        return r;
    }

    static float[] scores(TopK top) {
        top.sortDescending();
        float[] s = new float[top.size()];
        for (int i = 0; i < s.length; i++) {
            s[i] = top.score(i);
        }
        return s;
    }

    /**
     * A table with exact ties (copied rows, a constant column block), NaN entries, zero vectors and
     * small counts, so ties, NaN scores, cosine of zero vectors and minCount all occur.
     */
    static Table awkwardTable(SplittableRandom rnd, int n) {
        float[] rows = new float[n * (D + 1)];
        for (int j = 0; j < rows.length; j++) {
            rows[j] = (float) (rnd.nextGaussian() * 0.5);
        }
        for (int r = 0; r < n; r++) {
            int kind = rnd.nextInt(20);
            int off = r * (D + 1);
            if (kind == 0 && r > 0) {
                int src = rnd.nextInt(r);
                System.arraycopy(rows, src * (D + 1), rows, off, D + 1);
            } else if (kind == 1) {
                rows[off + rnd.nextInt(D + 1)] = Float.NaN;
            } else if (kind == 2) {
                java.util.Arrays.fill(rows, off, off + D + 1, 0f);
            } else if (kind == 3) {
                java.util.Arrays.fill(rows, off, off + D + 1, 0.25f);
            }
        }
        int[] counts = new int[n];
        ItemColumns c = new ItemColumns(D);
        for (int r = 0; r < n; r++) {
            counts[r] = rnd.nextInt(5);
            c.set(r, rows, r * (D + 1));
        }
        return new Table(rows, counts, c);
    }

    static ScanQuery randomQuery(SplittableRandom rnd, Table t, int n, int k) {
        boolean cosine = rnd.nextInt(4) == 0;
        float[] u = new float[D + 1];
        if (cosine && n > 0) {
            System.arraycopy(t.rows(), rnd.nextInt(n) * (D + 1), u, 0, D + 1);
        } else if (rnd.nextInt(6) == 0) {
            java.util.Arrays.fill(u, 1f);
        } else {
            for (int a = 0; a <= D; a++) {
                u[a] = (float) rnd.nextGaussian();
            }
        }
        float w = new float[] {0f, 0.5f, 1f, 2f, -1f}[rnd.nextInt(5)];
        int min = rnd.nextInt(3) == 0 ? 0 : rnd.nextInt(5);
        int skip = n > 0 && rnd.nextBoolean() ? rnd.nextInt(n) : -1;
        return new ScanQuery(u, w, cosine, min, skip, new TopK(k));
    }

    @Test
    void batchesMatchSingleScansAndABruteForceSortExactly() {
        int[] sizes = {0, 1, 5, 15, 16, 17, 63, 64, 65, 127, 511, 512, 513, 1000, 3 * 512 + 7, 4096, 5003};
        for (ItemScan kernel : kernels()) {
            SplittableRandom rnd = new SplittableRandom(21);
            for (int n : sizes) {
                Table t = awkwardTable(rnd, n);
                ItemColumns.View v = t.columns().view();
                for (int batch : new int[] {1, 2, 3, 8, 16}) {
                    ScanQuery[] qs = new ScanQuery[batch + 2];
                    for (int q = 0; q < qs.length; q++) {
                        qs[q] = randomQuery(rnd, t, n, rnd.nextInt(1, 40));
                    }
                    kernel.scanBatch(v, n, t.counts(), qs, batch);
                    for (int q = 0; q < batch; q++) {
                        ScanQuery x = qs[q];
                        String what = kernel.name() + " n=" + n + " batch=" + batch + " q=" + q + " " + x;
                        int[] want = bruteForce(v, n, t.counts(), x, x.top().capacity());
                        assertArrayEquals(want, rows(x.top()), what);
                        TopK single = new TopK(x.top().capacity());
                        kernel.scan(v, n, x.u(), x.biasWeight(), x.cosine(), t.counts(), x.minCount(), x.skipRow(), single);
                        assertArrayEquals(rows(x.top()), rows(single), what);
                        assertArrayEquals(scores(x.top()), scores(single), what);
                    }
                    for (int q = batch; q < qs.length; q++) {
                        assertEquals(0, qs[q].top().size(), "queries past n are not touched");
                    }
                }
            }
        }
    }

    @Test
    void kernelsAgreeBitForBit() {
        List<ItemScan> k = kernels();
        SplittableRandom rnd = new SplittableRandom(8);
        Table t = awkwardTable(rnd, 9001);
        for (int trial = 0; trial < 30; trial++) {
            ScanQuery q = randomQuery(rnd, t, 9001, 50);
            float[] first = null;
            for (ItemScan kernel : k) {
                TopK top = new TopK(50);
                kernel.scan(t.columns().view(), 9001, q.u(), q.biasWeight(), q.cosine(), t.counts(), q.minCount(),
                        q.skipRow(), top);
                float[] s = scores(top);
                if (first != null) {
                    assertArrayEquals(first, s, kernel.name());
                }
                first = s;
            }
        }
    }

    @Test
    void chunksAreVisitedOnceEachSpreadOverTheTableFirst() {
        for (int chunks = 0; chunks < 200; chunks++) {
            boolean[] seen = new boolean[chunks];
            for (int i = 0; i < chunks; i++) {
                int c = ItemScan.chunkAt(i, chunks);
                assertTrue(c >= 0 && c < chunks && !seen[c], chunks + " chunks, visit " + i + " -> " + c);
                seen[c] = true;
            }
        }
        assertEquals(List.of(0, 8, 16, 1, 9, 2, 10), IntStream.range(0, 7).map(i -> ItemScan.chunkAt(i, 17)).boxed().toList());
    }

    @Test
    void theKernelPropertyPicksTheScalarOne() {
        System.setProperty(ItemScan.KERNEL_PROPERTY, "scalar");
        try {
            assertEquals("scalar", ItemScan.create().name());
        } finally {
            System.clearProperty(ItemScan.KERNEL_PROPERTY);
        }
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
            assertEquals("vector", ItemScan.create().name());
        }
    }
}

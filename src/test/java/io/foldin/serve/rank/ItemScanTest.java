package io.foldin.serve.rank;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The tiled column scan against a naive row-by-row reference in double precision. */
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
        ItemScan scan = new ItemScan();
        TopK top = new TopK(10);
        for (int trial = 0; trial < 40; trial++) {
            int n = rnd.nextInt(1, 3 * ItemScan.TILE + 7);
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
        new ItemScan().scan(t.columns().view(), 2000, u, 0f, true, t.counts(), 0, q, top);
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
}

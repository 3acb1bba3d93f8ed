package io.foldin.analysis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The power-law fit and the histograms. */
class DistributionsTest {
    @Test
    void aPurePowerLawFitsItsExponentAndScale() {
        int[] counts = new int[1000];
        for (int r = 1; r <= counts.length; r++) {
            counts[counts.length - r] = (int) Math.round(1e9 * Math.pow(r, -1.5)); // any order
        }
        PowerLaw.Fit f = PowerLaw.fit(counts);
        assertEquals(-1.5, f.slope(), 1e-3);
        assertEquals(Math.log(1e9), f.intercept(), 1e-2);
        assertEquals(200, f.fromRank());
        assertEquals(500, f.toRank());
        assertEquals(1e9 * Math.pow(300, -1.5), f.at(300), 1e9 * Math.pow(300, -1.5) * 1e-3);
        assertTrue(Double.isNaN(PowerLaw.fit(new int[] {3, 2}).slope()));
        assertArrayEquals(new int[] {9, 5, 1}, PowerLaw.ranked(new int[] {5, 1, 9}));
    }

    @Test
    void halfStarBinsCountEveryRating() {
        float[] r = {0.5f, 5f, 3f, 3f, 3.5f, 99f};
        Histograms.Bins b = Histograms.halfStars(r, 5); // the 6th value is past size
        assertEquals(10, b.counts().length);
        assertEquals(0.25, b.edges()[0], 1e-12);
        assertEquals(5.25, b.edges()[10], 1e-12);
        assertEquals(2, b.counts()[5]); // 3.0
        assertEquals(1, b.counts()[6]);
        assertEquals(1, b.counts()[0]);
        assertEquals(1, b.counts()[9]);
    }

    @Test
    void uniformBinsAgreeWithANaiveCount() {
        SplittableRandom rnd = new SplittableRandom(3);
        double[] v = new double[1001];
        for (int k = 0; k < 1000; k++) {
            v[k] = rnd.nextDouble() * 7 - 2;
        }
        v[1000] = Double.NaN;
        Histograms.Bins b = Histograms.uniform(v, 13);
        long total = 0;
        for (int k = 0; k < 13; k++) {
            long naive = 0;
            for (int j = 0; j < 1000; j++) {
                boolean last = k == 12;
                if (v[j] >= b.edges()[k] && (v[j] < b.edges()[k + 1] || last && v[j] <= b.edges()[k + 1])) {
                    naive++;
                }
            }
            assertEquals(naive, b.counts()[k], "bin " + k);
            total += b.counts()[k];
        }
        assertEquals(1000, total);
        assertArrayEquals(new long[] {3}, Histograms.uniform(new double[] {2, 2, 2}, 5).counts());
    }
}

package io.foldin.model;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@link SufficientStats#change}: add, re-rate and delete against sums formed from scratch. */
class SufficientStatsTest {
    private static final int D = 5;

    @Test
    void changeMatchesStatisticsRebuiltFromTheRemainingRatings() {
        SplittableRandom rnd = new SplittableRandom(7);
        float[][] y = new float[3][D];
        for (float[] v : y) {
            for (int a = 0; a < D; a++) {
                v[a] = (float) rnd.nextGaussian();
            }
        }
        double base = 3.4;
        double[] tmp = new double[D + 1];
        SufficientStats s = new SufficientStats(D);
        s.change(y[0], 0, 4f, Float.NaN, base, tmp);
        s.change(y[1], 0, 2f, Float.NaN, base, tmp);
        s.change(y[2], 0, 5f, Float.NaN, base, tmp);
        s.change(y[1], 0, 3.5f, 2f, base, tmp);      // re-rate 2 -> 3.5
        s.change(y[2], 0, Float.NaN, 5f, base, tmp); // delete

        SufficientStats expected = new SufficientStats(D);
        expected.add(y[0], 0, 4 - base, tmp);
        expected.add(y[1], 0, 3.5 - base, tmp);
        assertEquals(2, s.count());
        assertArrayEquals(expected.gram(), s.gram(), 1e-12);
        assertArrayEquals(expected.target(), s.target(), 1e-12);
    }
}

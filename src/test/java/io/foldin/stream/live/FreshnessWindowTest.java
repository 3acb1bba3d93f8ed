package io.foldin.stream.live;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FreshnessWindowTest {
    private static final double STEP = Math.pow(10, 1.0 / FreshnessWindow.PER_DECADE);

    /** The exact order statistic of rank ⌈q·n⌉ (1-based), the naive reference. */
    private static double exact(double[] sorted, double q) {
        return sorted[(int) Math.max(1, Math.ceil(q * sorted.length)) - 1];
    }

    @Test
    void quantilesBoundTheExactOrderStatisticWithinOneBucket() {
        Random rnd = new Random(42);
        FreshnessWindow w = new FreshnessWindow(5);
        double[] ages = new double[20_000];
        for (int i = 0; i < ages.length; i++) {
            ages[i] = Math.exp(Math.log(0.08) + 0.9 * rnd.nextGaussian()); // log-normal around 80 ms
            w.observe(ages[i]);
            if (i % 4000 == 3999) {
                w.tick(); // five ticks: all of them inside the window
            }
        }
        Arrays.sort(ages);
        FreshnessWindow.Quantiles q = w.last();
        assertEquals(ages.length, q.count());
        for (double[] pair : new double[][] {{0.5, q.p50()}, {0.99, q.p99()}}) {
            double want = exact(ages, pair[0]);
            assertTrue(pair[1] >= want && pair[1] <= want * STEP * (1 + 1e-12),
                    "q" + pair[0] + ": " + pair[1] + " against exact " + want);
        }
    }

    @Test
    void theWindowForgetsTicksOlderThanItsLength() {
        FreshnessWindow w = new FreshnessWindow(3);
        for (int i = 0; i < 100; i++) {
            w.observe(5.0);
        }
        w.tick();
        assertEquals(100, w.last().count());
        assertTrue(w.last().p50() >= 5.0 && w.last().p50() < 5.0 * STEP);
        w.observe(0.01);
        w.tick();
        w.tick();
        assertEquals(101, w.last().count(), "still inside three ticks");
        w.tick();
        assertEquals(1, w.last().count(), "the first tick's 100 dropped out");
        assertTrue(w.last().p99() >= 0.01 && w.last().p99() < 0.01 * STEP);
        w.tick();
        assertEquals(FreshnessWindow.Quantiles.EMPTY, w.last());
    }

    @Test
    void bucketsHoldTheirUpperBoundAndNothingAbove() {
        for (int b = 0; b < 5 * FreshnessWindow.PER_DECADE; b++) {
            double bound = FreshnessWindow.bound(b);
            assertEquals(b, FreshnessWindow.bucket(bound), "bound " + bound);
            assertEquals(b + 1, FreshnessWindow.bucket(Math.nextUp(bound)), "just above " + bound);
        }
        assertEquals(0, FreshnessWindow.bucket(0));
        assertEquals(Double.POSITIVE_INFINITY, FreshnessWindow.bound(FreshnessWindow.bucket(1e6)));
    }
}

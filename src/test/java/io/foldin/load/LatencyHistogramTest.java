package io.foldin.load;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The load driver's histogram against exact quantiles of the same samples. */
class LatencyHistogramTest {
    @Test
    void quantilesAreWithinTwoPercentOfTheExactOnes() {
        SplittableRandom rnd = new SplittableRandom(1);
        long[] v = new long[100_000];
        LatencyHistogram h = new LatencyHistogram();
        for (int i = 0; i < v.length; i++) {
            v[i] = (long) Math.exp(rnd.nextDouble(0, 16)); // 1 µs .. 9 s, log-uniform
            h.record(v[i]);
        }
        Arrays.sort(v);
        for (double q : new double[] {0.5, 0.9, 0.99, 0.999}) {
            long exact = v[(int) Math.ceil(q * v.length) - 1];
            long got = h.quantile(q);
            assertTrue(got >= exact && got <= exact * 1.02 + 1, q + ": exact " + exact + ", histogram " + got);
        }
    }
}

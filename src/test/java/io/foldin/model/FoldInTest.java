package io.foldin.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Fold-in of events on sufficient statistics equals re-solving from scratch. */
class FoldInTest {
    private static final AlsParams P = new AlsParams(8, 1.0, 15.0, 3.0);

    private final SplittableRandom rnd = new SplittableRandom(2024);
    private final Factors items = Factors.random(30, 8, 0.5, 17);

    private float[] solve(SufficientStats s) {
        float[] out = new float[9];
        assertTrue(s.solve(new AugmentedSolver(P), null, 0, out, 0));
        return out;
    }

    private SufficientStats fromScratch(int[] its, double[] rs, int count, double mu) {
        SufficientStats s = new SufficientStats(8);
        double[] tmp = new double[9];
        for (int k = 0; k < count; k++) {
            s.add(items.data(), items.offset(its[k]), rs[k] - mu - items.bias(its[k]), tmp);
        }
        return s;
    }

    @Test
    void oneExtraRatingEqualsResolvingFromScratch() {
        for (int i = 0; i < 30; i++) {
            items.set(i, 8, (float) rnd.nextGaussian() * 0.3f);
        }
        int[] its = new int[12];
        double[] rs = new double[12];
        for (int k = 0; k < 12; k++) {
            its[k] = k * 2;
            rs[k] = 0.5 * (1 + rnd.nextInt(10));
        }
        double mu = 3.5;
        SufficientStats incremental = fromScratch(its, rs, 11, mu);
        float[] before = solve(incremental);
        incremental.add(items.data(), items.offset(its[11]), rs[11] - mu - items.bias(its[11]), new double[9]);
        float[] after = solve(incremental);
        assertArrayEquals(solve(fromScratch(its, rs, 12, mu)), after, 1e-6f);
        assertTrue(!java.util.Arrays.equals(before, after), "the event moved the factors");
    }

    @Test
    void rerateAndDeleteEqualResolvingFromScratch() {
        int[] its = {1, 4, 7, 9, 12, 20};
        double[] rs = {4, 3.5, 1, 5, 2.5, 3};
        double mu = 3.2;
        SufficientStats s = fromScratch(its, rs, its.length, mu);
        // re-rate item 7 from 1 to 4.5
        s.rerate(items.data(), items.offset(7), 4.5 - 1);
        double[] rs2 = rs.clone();
        rs2[2] = 4.5;
        assertArrayEquals(solve(fromScratch(its, rs2, its.length, mu)), solve(s), 1e-6f);
        // delete item 20 (the last one)
        s.remove(items.data(), items.offset(20), rs2[5] - mu - items.bias(20), new double[9]);
        assertArrayEquals(solve(fromScratch(its, rs2, 5, mu)), solve(s), 1e-6f);
    }
}

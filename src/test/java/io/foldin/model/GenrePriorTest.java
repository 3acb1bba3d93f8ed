package io.foldin.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class GenrePriorTest {

    @Test
    void featureUpdateIsTheClosedFormOfEq25() {
        int d = 3;
        // items: 0 {0}, 1 {0,1}, 2 {1}, 3 {} ; feature 0 is updated first, with f_1 fixed
        int[][] genres = {{0}, {0, 1}, {1}, {}};
        GenrePrior prior = new GenrePrior(d, 2, genres);
        float[] f1 = {0.2f, -0.1f, 0.4f};
        prior.setFeature(0, new float[] {9, 9, 9});
        prior.setFeature(1, f1);
        Factors v = new Factors(4, d);
        float[][] vs = {{1, 0, 0}, {0.5f, 0.5f, 0}, {0, 1, 1}, {7, 7, 7}};
        for (int i = 0; i < 4; i++) {
            for (int a = 0; a < d; a++) {
                v.set(i, a, vs[i][a]);
            }
        }
        // f_0 = (1 + 1/1 + 1/2)⁻¹ (v_0 + 2^(-1/2) (v_1 − 2^(-1/2) f_1))
        double s = 1 / Math.sqrt(2);
        float[] expected0 = new float[d];
        for (int a = 0; a < d; a++) {
            expected0[a] = (float) ((vs[0][a] + s * (vs[1][a] - s * f1[a])) / 2.5);
        }
        prior.update(v);
        assertArrayEquals(expected0, prior.feature(0), 1e-6f);
        // then f_1 = (1 + 1/2 + 1)⁻¹ (2^(-1/2) (v_1 − 2^(-1/2) f_0) + v_2)
        float[] expected1 = new float[d];
        for (int a = 0; a < d; a++) {
            expected1[a] = (float) ((s * (vs[1][a] - s * expected0[a]) + vs[2][a]) / 2.5);
        }
        assertArrayEquals(expected1, prior.feature(1), 1e-6f);
    }

    @Test
    void itemWithGenresAndNoRatingsGetsThePriorMean() {
        int d = 4;
        AlsParams p = new AlsParams(d, 1.0, 15.0, 3.0);
        GenrePrior prior = new GenrePrior(d, 2, new int[][] {{0, 1}});
        prior.setFeature(0, new float[] {1, 2, 3, 4});
        prior.setFeature(1, new float[] {-1, 0, 1, 0});
        float[] mean = new float[d];
        prior.meanOf(0, mean, 0);
        float s = (float) (1 / Math.sqrt(2));
        assertArrayEquals(new float[] {0, 2 * s, 4 * s, 4 * s}, mean, 1e-6f);

        SufficientStats empty = new SufficientStats(d);
        float[] out = new float[d + 1];
        assertTrue(empty.solve(new AugmentedSolver(p), mean, 0, out, 0));
        for (int a = 0; a < d; a++) {
            assertEquals(mean[a], out[a], 1e-6f);
        }
        assertEquals(0f, out[d]);
    }
}

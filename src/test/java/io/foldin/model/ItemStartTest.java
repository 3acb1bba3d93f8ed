package io.foldin.model;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link ItemStart}: deterministic per item, scaled like {@link FactorModel#initial}, and fold-in from
 * it leaves zero on both sides, checked against a naive dense solve of the same MAP problem.
 */
class ItemStartTest {
    static final int D = 6;
    static final AlsParams P = new AlsParams(D, 1.0, 15.0, 3.0);

    static float[] start(int item) {
        float[] v = new float[D + 1];
        ItemStart.of(item, D, v, 0);
        return v;
    }

    @Test
    void theStartIsAFunctionOfTheItemIdAndScaledLikeTheAlsInitialisation() {
        assertArrayEquals(start(296), start(296), 0f);
        assertFalse(Arrays.equals(start(296), start(297)));
        assertEquals(0f, start(296)[D], "the bias slot is not written");
        int items = 5000;
        double sum = 0;
        double sq = 0;
        float[] v = new float[D];
        for (int i = 0; i < items; i++) {
            ItemStart.of(i, D, v, 0);
            for (float x : v) {
                sum += x;
                sq += x * x;
            }
        }
        int n = items * D;
        double mean = sum / n;
        double sd = Math.sqrt(sq / n - mean * mean);
        assertEquals(0, mean, 0.005);
        assertEquals(FactorModel.INIT_SCALE, sd, 0.005);
    }

    /**
     * Two users and three items, all new: each user's solve against the items' starts, then each item's
     * solve against the users' results, by the kernels (statistics, Cholesky) and by a naive reference
     * (dense normal equations, Gaussian elimination). Both sides end non-zero; from zero starts they stay 0.
     */
    @Test
    void foldInFromSeededStartsLeavesZeroOnBothSidesAndMatchesANaiveSolve() {
        int[] items = {10, 20, 30};
        float[][] ratings = {{5f, 1f, 4f}, {2f, 4.5f, 3f}};
        double mu = 3.5;
        float[][] v = {start(10), start(20), start(30)};
        float[][] u = new float[2][];
        for (int k = 0; k < 2; k++) {
            u[k] = solveKernel(v, ratings[k], mu);
            assertArrayEquals(naive(v, ratings[k], mu), u[k], 1e-5f, "user " + k);
            assertTrue(norm(u[k]) > 1e-4, "user " + k + " leaves zero: " + Arrays.toString(u[k]));
        }
        for (int j = 0; j < items.length; j++) {
            float[] r = {ratings[0][j], ratings[1][j]};
            float[] item = solveKernel(u, r, mu);
            assertArrayEquals(naive(u, r, mu), item, 1e-5f, "item " + items[j]);
            assertTrue(norm(item) > 1e-6, "item " + items[j] + " leaves zero: " + Arrays.toString(item));
        }
        // The failure this start exists for: zero item vectors give zero user vectors (only the bias moves).
        float[][] zero = {new float[D + 1], new float[D + 1], new float[D + 1]};
        float[] stuck = solveKernel(zero, ratings[0], mu);
        assertEquals(0.0, norm(stuck));
        assertTrue(stuck[D] != 0f);
    }

    /** [x; b] of one entity against the other side's [V; b] rows, by SufficientStats and AugmentedSolver. */
    static float[] solveKernel(float[][] other, float[] r, double mu) {
        SufficientStats s = new SufficientStats(D);
        double[] tmp = new double[D + 1];
        for (int k = 0; k < other.length; k++) {
            s.change(other[k], 0, r[k], Float.NaN, mu + other[k][D], tmp);
        }
        float[] out = new float[D + 1];
        assertTrue(s.solve(new AugmentedSolver(P), null, 0, out, 0));
        return out;
    }

    /** argmin λ Σ (x_k − yₖ·θ)² + τ|θ_V|² + γ θ_b², y = [V; 1], x = r − μ − b: A θ = c by elimination. */
    static float[] naive(float[][] other, float[] r, double mu) {
        int n = D + 1;
        double[][] a = new double[n][n + 1];
        for (int k = 0; k < other.length; k++) {
            double[] y = new double[n];
            for (int i = 0; i < D; i++) {
                y[i] = other[k][i];
            }
            y[D] = 1;
            double x = r[k] - mu - other[k][D];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    a[i][j] += P.lambda() * y[i] * y[j];
                }
                a[i][n] += P.lambda() * x * y[i];
            }
        }
        for (int i = 0; i < n; i++) {
            a[i][i] += i < D ? P.tau() : P.gamma();
        }
        for (int c = 0; c < n; c++) {
            for (int row = c + 1; row < n; row++) {
                double f = a[row][c] / a[c][c];
                for (int j = c; j <= n; j++) {
                    a[row][j] -= f * a[c][j];
                }
            }
        }
        double[] theta = new double[n];
        for (int i = n - 1; i >= 0; i--) {
            double s = a[i][n];
            for (int j = i + 1; j < n; j++) {
                s -= a[i][j] * theta[j];
            }
            theta[i] = s / a[i][i];
        }
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) theta[i];
        }
        return out;
    }

    static double norm(float[] f) {
        double s = 0;
        for (int a = 0; a < D; a++) {
            s += f[a] * f[a];
        }
        return Math.sqrt(s);
    }
}

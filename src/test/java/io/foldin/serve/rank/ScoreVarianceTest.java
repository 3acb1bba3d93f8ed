package io.foldin.serve.rank;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.foldin.model.AlsParams;
import io.foldin.model.AugmentedSolver;
import io.foldin.model.Cholesky;
import io.foldin.model.PackedGram;
import io.foldin.stream.topology.FactorRecord;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ScoreVarianceTest {
    static final AlsParams P = new AlsParams(4, 1.3, 10, 3);

    static double[] gram(SplittableRandom rnd, int ratings) {
        int n = P.dim();
        double[] g = new double[PackedGram.size(n)];
        float[] v = new float[n - 1];
        double[] tmp = new double[n];
        for (int r = 0; r < ratings; r++) {
            for (int k = 0; k < v.length; k++) {
                v[k] = (float) (rnd.nextGaussian() * 0.5);
            }
            PackedGram.addOuter(g, n, v, 0, 1.0, tmp);
        }
        return g;
    }

    /** var_ui = yᵀ S_u y + Σ_k t_k (U_k² + S_kk) + t_b, against S_u = (λG + P)⁻¹ formed in full. */
    @Test
    void varianceIsTheTwoSidedFormula() {
        SplittableRandom rnd = new SplittableRandom(5);
        int n = P.dim();
        double[] g = gram(rnd, 12);
        float[] user = {0.3f, -0.2f, 0.5f, 0.1f, 0.2f};
        float[] item = {0.4f, 0.1f, -0.3f, 0.2f, -0.1f};
        float[] t = {0.01f, 0.02f, 0.03f, 0.04f, 0.05f};
        ScoreVariance sv = new ScoreVariance(P);
        assertTrue(sv.user(g, user));
        double[] a = new double[n * n];
        PackedGram.expand(g, n, P.lambda(), P.priorDiagonal(), a);
        assertTrue(Cholesky.factor(a, n));
        double[] s = new double[PackedGram.size(n)];
        Cholesky.inversePacked(a, n, s, new double[n * n]);
        double expected = 0;
        for (int x = 0; x < n; x++) {
            for (int y = 0; y < n; y++) {
                double yx = x == n - 1 ? 1 : item[x];
                double yy = y == n - 1 ? 1 : item[y];
                expected += yx * yy * s[PackedGram.index(n, Math.min(x, y), Math.max(x, y))];
            }
        }
        for (int k = 0; k < n - 1; k++) {
            expected += t[k] * (user[k] * user[k] + s[PackedGram.index(n, k, k)]);
        }
        expected += t[n - 1];
        assertEquals(expected, sv.variance(item, t, 0), 1e-6);
        // NaN: not carried, the prior's variances instead
        float[] none = {Float.NaN, Float.NaN, Float.NaN, Float.NaN, Float.NaN};
        float[] prior = {0.1f, 0.1f, 0.1f, 0.1f, 1f / 3};
        assertEquals(sv.variance(item, prior, 0), sv.variance(item, none, 0), 1e-6);
    }

    @Test
    void rankingScores() {
        assertEquals(4.0, Ranking.MEAN.score(4, 0.5, 2), 0);
        assertEquals(4.0 / 1.5, Ranking.UNCERTAINTY.score(4, 0.5, 2), 1e-12);
        assertEquals(4.0 + 2 * Math.sqrt(0.5), Ranking.UCB.score(4, 0.5, 2), 1e-12);
        assertEquals(Ranking.UCB, Ranking.parse("ucb"));
        assertNull(Ranking.parse("UCB"));
    }

    /** The item's carried variances: the diagonal of (λG + P)⁻¹; a factor record carries them and reads back. */
    @Test
    void itemVarianceTravelsInTheFactorRecord() {
        SplittableRandom rnd = new SplittableRandom(9);
        double[] g = gram(rnd, 30);
        float[] v = new float[P.dim()];
        assertTrue(new AugmentedSolver(P).posteriorVariance(g, v));
        double[] a = new double[P.dim() * P.dim()];
        PackedGram.expand(g, P.dim(), P.lambda(), P.priorDiagonal(), a);
        Cholesky.factor(a, P.dim());
        double[] diag = new double[P.dim()];
        Cholesky.inverseDiagonal(a, P.dim(), diag, new double[P.dim()]);
        for (int k = 0; k < P.dim(); k++) {
            assertEquals(diag[k], v[k], 1e-7);
            assertTrue(v[k] > 0 && v[k] <= 1 / P.priorDiagonal()[k], "below the prior variance");
        }
        float[] f = {1, 2, 3, 4, 5};
        FactorRecord back = FactorRecord.decode(new FactorRecord(3, 30, f, v).encode());
        assertEquals(3, back.epoch());
        assertEquals(30, back.count());
        assertArrayEquals(f, back.factor());
        assertArrayEquals(v, back.variance());
        FactorRecord old = FactorRecord.decode(new FactorRecord(3, 30, f).encode());
        assertEquals(30, old.count());
        assertArrayEquals(f, old.factor());
        assertNull(old.variance());
    }

    /** The item side publishes factor and variances from one factorisation: both equal the separate kernels'. */
    @Test
    void solveWithVarianceEqualsSolveThenVariance() {
        SplittableRandom rnd = new SplittableRandom(11);
        double[] g = gram(rnd, 12);
        double[] h = new double[P.dim()];
        for (int k = 0; k < h.length; k++) {
            h[k] = rnd.nextDouble(-3, 3);
        }
        float[] prior = {0.1f, -0.2f, 0.3f, 0.05f};
        AugmentedSolver solver = new AugmentedSolver(P);
        float[] x = new float[P.dim()];
        float[] v = new float[P.dim()];
        assertTrue(solver.solve(g, h, prior, 0, x, 0));
        assertTrue(solver.posteriorVariance(g, v));
        float[] x2 = new float[P.dim()];
        float[] v2 = new float[P.dim()];
        assertTrue(solver.solveWithVariance(g, h, prior, 0, x2, 0, v2));
        assertArrayEquals(x, x2);
        assertArrayEquals(v, v2);
        double[] notPd = new double[g.length];
        notPd[0] = -1e9;
        java.util.Arrays.fill(x2, 7f);
        assertFalse(solver.solveWithVariance(notPd, h, prior, 0, x2, 0, v2), "not positive definite");
        assertEquals(7f, x2[0], "a failed solve leaves the factor untouched");
    }
}

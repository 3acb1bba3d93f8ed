package io.foldin.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.foldin.data.RatingLog;
import io.foldin.data.RatingMatrix;
import io.foldin.data.RatingsReader;
import io.foldin.data.ReadOptions;
import io.foldin.data.Split;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class VariationalTrainerTest {
    static final Path RATINGS = Path.of("src/main/resources/ml-latest-small/ratings.csv");

    /** ml-latest-small, random 0.1 split, seed 42: the ELBO after each of 15 sweeps never falls. */
    @ParameterizedTest
    @CsvSource({"full,true", "full,false", "diagonal,true", "diagonal,false"})
    void elboNeverDecreasesOnMlLatestSmall(String covariance, boolean learn) throws Exception {
        RatingLog log = RatingsReader.read(RATINGS, ReadOptions.defaults()).log();
        RatingLog train = Split.random(log, 0.1, 42).train();
        List<Double> elbo = train(train, Posterior.Covariance.parse(covariance), learn, 15, 42);
        for (int k = 1; k < elbo.size(); k++) {
            double prev = elbo.get(k - 1);
            assertTrue(elbo.get(k) >= prev - 1e-9 * Math.abs(prev),
                    "ELBO fell at sweep " + (k + 1) + ": " + elbo);
        }
        assertTrue(elbo.get(elbo.size() - 1) > elbo.get(0), elbo.toString());
    }

    static List<Double> train(RatingLog train, Posterior.Covariance kind, boolean learn, int sweeps, long seed) {
        RatingMatrix m = RatingMatrix.of(train, train.users().size(), train.items().size());
        float[] range = train.ratingRange();
        VariationalModel model = VariationalModel.initial(AlsParams.DEFAULT, train.mean(), range[0], range[1],
                train.users().size(), train.items().size(), kind, seed);
        List<Double> elbo = new ArrayList<>();
        try (VariationalTrainer t = new VariationalTrainer(2, learn)) {
            for (int s = 0; s < sweeps; s++) {
                elbo.add(t.sweep(model, m));
            }
        }
        return elbo;
    }

    /** Every update maximises the ELBO in its entity: moving a mean or scaling a covariance lowers it. */
    @ParameterizedTest
    @CsvSource({"full", "diagonal"})
    void updateIsTheElboMaximiser(String covariance) {
        RatingLog log = Synthetic.ratings(60, 40, 12, 7);
        RatingMatrix m = RatingMatrix.of(log, log.users().size(), log.items().size());
        float[] range = log.ratingRange();
        AlsParams p = new AlsParams(4, 1.0, 5.0, 3.0);
        VariationalModel model = VariationalModel.initial(p, log.mean(), range[0], range[1], log.users().size(),
                log.items().size(), Posterior.Covariance.parse(covariance), 3);
        try (VariationalTrainer t = new VariationalTrainer(1, false)) {
            for (int s = 0; s < 5; s++) {
                t.sweep(model, m);
            }
            t.solveUsers(model, m.byUser()); // user q exactly optimal for the current items
        }
        double best = VariationalTrainer.elbo(model, m.byUser());
        int u = 5;
        Factors uf = model.means().users();
        for (int k = 0; k < p.dim(); k++) {
            for (double step : new double[] {1e-2, -1e-2}) {
                VariationalModel c = model.copy();
                c.means().users().set(u, k, (float) (uf.get(u, k) + step));
                assertTrue(VariationalTrainer.elbo(c, m.byUser()) < best, "mean coordinate " + k + " by " + step);
            }
        }
        for (double scale : new double[] {0.9, 1.1}) {
            VariationalModel c = model.copy();
            Posterior s = c.users();
            int base = u * s.stride();
            for (int k = 0; k < s.stride(); k++) {
                s.data()[base + k] *= scale;
            }
            s.setLogDet(u, s.logDet(u) + p.dim() * Math.log(scale));
            assertTrue(VariationalTrainer.elbo(c, m.byUser()) < best, "covariance scaled by " + scale);
        }
    }

    /** With zero covariances on the other side, a user update is the MAP ALS solve. */
    @Test
    void zeroCovarianceUpdateIsTheMapSolve() {
        RatingLog log = Synthetic.ratings(50, 30, 10, 11);
        RatingMatrix m = RatingMatrix.of(log, log.users().size(), log.items().size());
        float[] range = log.ratingRange();
        VariationalModel vb = VariationalModel.initial(AlsParams.DEFAULT, log.mean(), range[0], range[1],
                log.users().size(), log.items().size(), Posterior.Covariance.FULL, 9);
        FactorModel map = FactorModel.initial(AlsParams.DEFAULT, log.mean(), range[0], range[1],
                log.users().size(), log.items().size(), null, 9);
        try (VariationalTrainer t = new VariationalTrainer(1, false); AlsTrainer a = new AlsTrainer(AlsParams.DEFAULT, 1)) {
            t.solveUsers(vb, m.byUser());
            a.solveUsers(map, m.byUser());
        }
        assertArrayEquals(map.users().data(), vb.means().users().data(), 1e-6f);
    }

    /** {@link Cholesky#inversePacked} is A⁻¹ and {@link Cholesky#logDet} its log-determinant. */
    @Test
    void inverseFromCholesky() {
        int n = 5;
        double[] a = new double[n * n];
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(1);
        double[][] b = new double[n][n];
        for (double[] row : b) {
            for (int k = 0; k < n; k++) {
                row[k] = rnd.nextGaussian();
            }
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double s = i == j ? 1 : 0;
                for (int k = 0; k < n; k++) {
                    s += b[i][k] * b[j][k];
                }
                a[i * n + j] = s;
            }
        }
        double[] l = a.clone();
        assertTrue(Cholesky.factor(l, n));
        double[] inv = new double[PackedGram.size(n)];
        Cholesky.inversePacked(l, n, inv, new double[n * n]);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int k = 0; k < n; k++) {
                    s += a[i * n + k] * inv[PackedGram.index(n, Math.min(k, j), Math.max(k, j))];
                }
                assertEquals(i == j ? 1 : 0, s, 1e-10);
            }
        }
        double[] diag = new double[n];
        Cholesky.inverseDiagonal(l, n, diag, new double[n]);
        for (int k = 0; k < n; k++) {
            assertEquals(diag[k], inv[PackedGram.index(n, k, k)], 1e-12);
        }
        // log det by the product of the pivots of an LU without pivoting (A is SPD)
        double[] lu = a.clone();
        double logDet = 0;
        for (int k = 0; k < n; k++) {
            logDet += Math.log(lu[k * n + k]);
            for (int i = k + 1; i < n; i++) {
                double f = lu[i * n + k] / lu[k * n + k];
                for (int j = k; j < n; j++) {
                    lu[i * n + j] -= f * lu[k * n + j];
                }
            }
        }
        assertEquals(logDet, Cholesky.logDet(l, n), 1e-10);
    }
}

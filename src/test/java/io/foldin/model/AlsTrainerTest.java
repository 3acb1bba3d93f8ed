package io.foldin.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.foldin.data.RatingLog;
import io.foldin.data.RatingMatrix;
import org.junit.jupiter.api.Test;

class AlsTrainerTest {
    private static final AlsParams PARAMS = new AlsParams(5, 1.0, 4.0, 2.0);

    private static FactorModel fresh(AlsParams p, RatingLog log, GenrePrior prior) {
        return FactorModel.initial(p, log.mean(), 0.5f, 5f, log.users().size(), log.items().size(), prior, 1);
    }

    @Test
    void biasOnlyUserStepIsTheClosedForm() {
        RatingLog log = Synthetic.ratings(40, 30, 8, 5);
        RatingMatrix m = RatingMatrix.of(log);
        AlsParams p = new AlsParams(0, 2.0, 1.0, 3.0);
        FactorModel model = fresh(p, log, null);
        for (int i = 0; i < 30; i++) {
            model.items().set(i, 0, (float) (0.01 * i - 0.1));
        }
        try (AlsTrainer t = new AlsTrainer(p, 2)) {
            t.solveUsers(model, m.byUser());
        }
        RatingMatrix.Csr rows = m.byUser();
        for (int u = 0; u < 40; u++) {
            double s = 0;
            int n = 0;
            for (int k = rows.start()[u]; k < rows.start()[u + 1]; k++) {
                s += rows.values()[k] - model.mu() - model.items().bias(rows.cols()[k]);
                n++;
            }
            double expected = p.lambda() * s / (p.lambda() * n + p.gamma());
            assertEquals(expected, model.users().bias(u), 1e-5, "user " + u);
        }
    }

    @Test
    void userStepZeroesTheGradientOfTheLoss() {
        RatingLog log = Synthetic.ratings(20, 25, 10, 9);
        RatingMatrix m = RatingMatrix.of(log);
        FactorModel model = fresh(PARAMS, log, null);
        try (AlsTrainer t = new AlsTrainer(PARAMS, 1)) {
            t.solveUsers(model, m.byUser());
        }
        // ∂L/∂[U_u; b_u] = −λ Σ e_ui [V_i; 1] + [τ U_u; γ b_u] must vanish (float storage: ~1e-4)
        RatingMatrix.Csr rows = m.byUser();
        int d = PARAMS.factors();
        for (int u = 0; u < 20; u++) {
            double[] grad = new double[d + 1];
            for (int k = rows.start()[u]; k < rows.start()[u + 1]; k++) {
                int i = rows.cols()[k];
                double e = rows.values()[k] - model.mu() - model.users().bias(u) - model.items().bias(i)
                        - model.users().dot(u, model.items(), i);
                for (int a = 0; a < d; a++) {
                    grad[a] -= PARAMS.lambda() * e * model.items().get(i, a);
                }
                grad[d] -= PARAMS.lambda() * e;
            }
            for (int a = 0; a < d; a++) {
                grad[a] += PARAMS.tau() * model.users().get(u, a);
            }
            grad[d] += PARAMS.gamma() * model.users().bias(u);
            for (double gr : grad) {
                assertEquals(0.0, gr, 2e-4);
            }
        }
    }

    @Test
    void everyHalfStepDecreasesTheLoss() {
        RatingLog log = Synthetic.ratings(60, 40, 12, 3);
        RatingMatrix m = RatingMatrix.of(log);
        FactorModel model = fresh(PARAMS, log, null);
        double prev = Loss.of(model, m);
        try (AlsTrainer t = new AlsTrainer(PARAMS, 2)) {
            for (int it = 0; it < 8; it++) {
                t.solveUsers(model, m.byUser());
                double afterUsers = Loss.of(model, m);
                t.solveItems(model, m.byItem());
                double afterItems = Loss.of(model, m);
                assertTrue(afterUsers <= prev * (1 + 1e-6), "users step " + it + ": " + prev + " -> " + afterUsers);
                assertTrue(afterItems <= afterUsers * (1 + 1e-6), "items step " + it);
                prev = afterItems;
            }
        }
    }

    @Test
    void genrePriorSweepsDecreaseTheLossToo() {
        RatingLog log = Synthetic.ratings(60, 40, 12, 4);
        RatingMatrix m = RatingMatrix.of(log);
        int[][] genres = new int[40][];
        for (int i = 0; i < 40; i++) {
            genres[i] = i % 5 == 0 ? new int[0] : (i % 3 == 0 ? new int[] {0, 2} : new int[] {i % 3});
        }
        FactorModel model = fresh(PARAMS, log, new GenrePrior(PARAMS.factors(), 3, genres));
        double prev = Loss.of(model, m);
        try (AlsTrainer t = new AlsTrainer(PARAMS, 2)) {
            for (int it = 0; it < 6; it++) {
                t.sweep(model, m);
                double now = Loss.of(model, m);
                assertTrue(now <= prev * (1 + 1e-6), "sweep " + it + ": " + prev + " -> " + now);
                prev = now;
            }
        }
    }

    @Test
    void conjugateGradientSweepsDecreaseTheLossAndApproachTheExactSolve() {
        RatingLog log = Synthetic.ratings(60, 40, 12, 6);
        RatingMatrix m = RatingMatrix.of(log);
        FactorModel cg = fresh(PARAMS, log, null);
        FactorModel exact = fresh(PARAMS, log, null);
        double prev = Loss.of(cg, m);
        try (AlsTrainer t = new AlsTrainer(PARAMS, 2, SweepSolver.cg(2))) {
            for (int it = 0; it < 10; it++) {
                t.sweep(cg, m);
                double now = Loss.of(cg, m);
                assertTrue(now <= prev * (1 + 1e-6), "cg sweep " + it + ": " + prev + " -> " + now);
                prev = now;
            }
        }
        // with n = D + 1 steps CG is exact (in exact arithmetic): one user step equals Cholesky's
        FactorModel a = fresh(PARAMS, log, null);
        FactorModel b = fresh(PARAMS, log, null);
        try (AlsTrainer full = new AlsTrainer(PARAMS, 1, SweepSolver.cg(PARAMS.dim() + 4));
             AlsTrainer chol = new AlsTrainer(PARAMS, 1)) {
            full.solveUsers(a, m.byUser());
            chol.solveUsers(b, m.byUser());
        }
        assertArrayEquals(b.users().data(), a.users().data(), 1e-4f);
        try (AlsTrainer chol = new AlsTrainer(PARAMS, 2)) {
            for (int it = 0; it < 10; it++) {
                chol.sweep(exact, m);
            }
        }
        double gap = (Loss.of(cg, m) - Loss.of(exact, m)) / Loss.of(exact, m);
        assertTrue(Math.abs(gap) < 0.01, "cg loss within 1% of exact after 10 sweeps: " + gap);
    }

    @Test
    void solverSpecParses() {
        assertEquals(SweepSolver.CHOLESKY, SweepSolver.parse("cholesky"));
        assertEquals(SweepSolver.cg(3), SweepSolver.parse("cg"));
        assertEquals(SweepSolver.cg(5), SweepSolver.parse("cg:5"));
        assertThrows(IllegalArgumentException.class, () -> SweepSolver.parse("lu"));
    }

    @Test
    void threadCountDoesNotChangeTheResult() {
        RatingLog log = Synthetic.ratings(80, 50, 10, 8);
        RatingMatrix m = RatingMatrix.of(log);
        FactorModel one = fresh(PARAMS, log, null);
        FactorModel two = fresh(PARAMS, log, null);
        try (AlsTrainer t1 = new AlsTrainer(PARAMS, 1); AlsTrainer t2 = new AlsTrainer(PARAMS, 2)) {
            for (int it = 0; it < 3; it++) {
                t1.sweep(one, m);
                t2.sweep(two, m);
            }
        }
        assertArrayEquals(one.users().data(), two.users().data());
        assertArrayEquals(one.items().data(), two.items().data());
    }

    @Test
    void zeroPriorOnAnUnderdeterminedUserNamesTheFix() {
        RatingLog log = Synthetic.ratings(5, 10, 2, 1);
        RatingMatrix m = RatingMatrix.of(log);
        AlsParams p = new AlsParams(5, 1.0, 0.0, 0.0);
        FactorModel model = fresh(p, log, null);
        try (AlsTrainer t = new AlsTrainer(p, 2)) {
            NotPositiveDefiniteException e = assertThrows(NotPositiveDefiniteException.class,
                    () -> t.solveUsers(model, m.byUser()));
            assertTrue(e.getMessage().contains("raise tau"), e.getMessage());
        }
    }

    @Test
    void balancedBlocksCoverAllRowsOnce() {
        int[] start = {0, 100, 100, 100, 101, 150, 150, 400};
        int[] b = AlsTrainer.balancedBlocks(start, 7, 4);
        assertEquals(0, b[0]);
        assertEquals(7, b[b.length - 1]);
        for (int j = 1; j < b.length; j++) {
            assertTrue(b[j] > b[j - 1]);
        }
    }
}

package io.foldin.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.foldin.data.RatingLog;
import io.foldin.data.RatingMatrix;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ImplicitAlsTest {
    private static final ImplicitParams P = new ImplicitParams(3, 2.5, 0.7);

    /** A dense weight matrix of {@code users x items}, about a third non-zero (1..3), fixed seed. */
    private static float[][] weights(int users, int items, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        float[][] w = new float[users][items];
        for (int u = 0; u < users; u++) {
            for (int i = 0; i < items; i++) {
                if (rnd.nextInt(3) == 0) {
                    w[u][i] = 1 + rnd.nextInt(3);
                }
            }
            w[u][rnd.nextInt(items)] += 1;
        }
        return w;
    }

    private static RatingMatrix matrix(float[][] w) {
        RatingLog log = new RatingLog();
        for (int u = 0; u < w.length; u++) {
            for (int i = 0; i < w[u].length; i++) {
                if (w[u][i] > 0) {
                    log.addIndexed(u, i, w[u][i], 0);
                }
            }
        }
        return RatingMatrix.of(log, w.length, w[0].length);
    }

    /**
     * The full-matrix closed form (Hu et al. eq. 4) with every pair in it: {@code x_u = (Yᵀ C_u Y + λI)⁻¹ Yᵀ C_u p_u},
     * C_u = diag(1 + α w_ui), p_ui = [w_ui > 0], solved by Gaussian elimination.
     */
    private static double[] dense(float[] w, Factors y, ImplicitParams p) {
        int d = p.factors();
        double[][] a = new double[d][d + 1];
        for (int i = 0; i < w.length; i++) {
            double c = 1 + p.alpha() * w[i];
            double pref = w[i] > 0 ? 1 : 0;
            for (int r = 0; r < d; r++) {
                for (int s = 0; s < d; s++) {
                    a[r][s] += c * y.get(i, r) * y.get(i, s);
                }
                a[r][d] += c * pref * y.get(i, r);
            }
        }
        for (int r = 0; r < d; r++) {
            a[r][r] += p.lambda();
        }
        for (int col = 0; col < d; col++) {
            for (int r = col + 1; r < d; r++) {
                double f = a[r][col] / a[col][col];
                for (int s = col; s <= d; s++) {
                    a[r][s] -= f * a[col][s];
                }
            }
        }
        double[] x = new double[d];
        for (int r = d - 1; r >= 0; r--) {
            double t = a[r][d];
            for (int s = r + 1; s < d; s++) {
                t -= a[r][s] * x[s];
            }
            x[r] = t / a[r][r];
        }
        return x;
    }

    @Test
    void userAndItemSolvesAreTheFullMatrixClosedForm() {
        float[][] w = weights(7, 6, 11);
        Factors users = Factors.random(7, 3, 0.5, 1);
        Factors items = Factors.random(6, 3, 0.5, 2);
        try (ImplicitTrainer t = new ImplicitTrainer(P, 2)) {
            t.solve("user", matrix(w).byUser(), users, items);
            for (int u = 0; u < 7; u++) {
                double[] x = dense(w[u], items, P);
                for (int a = 0; a < 3; a++) {
                    assertEquals(x[a], users.get(u, a), 1e-5, "user " + u + " entry " + a);
                }
            }
            t.solve("item", matrix(w).byItem(), items, users);
            for (int i = 0; i < 6; i++) {
                float[] column = new float[7];
                for (int u = 0; u < 7; u++) {
                    column[u] = w[u][i];
                }
                double[] y = dense(column, users, P);
                for (int a = 0; a < 3; a++) {
                    assertEquals(y[a], items.get(i, a), 1e-5, "item " + i + " entry " + a);
                }
            }
        }
    }

    @Test
    void longRowsInBatchesOfFourAndTheirRemaindersMatchTheClosedForm() {
        float[][] w = weights(6, 25, 17); // 8-12 interactions a user: every remainder mod 4
        Factors users = new Factors(6, 3);
        Factors items = Factors.random(25, 3, 0.5, 18);
        java.util.Set<Integer> remainders = new java.util.HashSet<>();
        try (ImplicitTrainer t = new ImplicitTrainer(P, 1)) {
            t.solve("user", matrix(w).byUser(), users, items);
        }
        for (int u = 0; u < 6; u++) {
            int count = 0;
            for (float x : w[u]) {
                count += x > 0 ? 1 : 0;
            }
            remainders.add(count % 4);
            double[] x = dense(w[u], items, P);
            for (int a = 0; a < 3; a++) {
                assertEquals(x[a], users.get(u, a), 1e-5, "user " + u + " (" + count + " interactions) entry " + a);
            }
        }
        assertTrue(remainders.size() >= 3, "rows cover several remainders: " + remainders);
    }

    @Test
    void aTransientUserIsTheRowSolveOfAStoredUserWithTheSameHistory() {
        float[][] w = weights(8, 12, 41);
        ImplicitParams p = new ImplicitParams(3, 2.0, 0.9);
        ImplicitAlsModel model = ImplicitAlsModel.initial(p, 8, 12, 42);
        try (ImplicitTrainer t = new ImplicitTrainer(p, 1)) {
            t.sweep(model.userFactors(), model.itemFactors(), matrix(w));
            t.solve("user", matrix(w).byUser(), model.userFactors(), model.itemFactors());
        }
        int u = 5;
        int n = 0;
        for (float x : w[u]) {
            n += x > 0 ? 1 : 0;
        }
        int[] items = new int[n];
        float[] weights = new float[n];
        for (int i = 0, k = 0; i < 12; i++) {
            if (w[u][i] > 0) {
                items[k] = i;
                weights[k++] = w[u][i];
            }
        }
        float[] x = new float[3];
        model.foldInTransient(model.itemGram(), items, weights, x);
        double[] dense = dense(w[u], model.itemFactors(), p);
        double[] transientScores = new double[12];
        double[] storedScores = new double[12];
        model.scores(x, 0, transientScores);
        model.scores(u, storedScores);
        for (int a = 0; a < 3; a++) {
            assertEquals(dense[a], x[a], 1e-5, "entry " + a);
            assertEquals(model.userFactors().get(u, a), x[a], 1e-6, "entry " + a);
        }
        for (int i = 0; i < 12; i++) {
            assertEquals(storedScores[i], transientScores[i], 1e-6, "item " + i);
        }
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> model.foldInTransient(model.itemGram(), new int[] {12}, new float[] {1f}, x));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> model.foldInTransient(model.itemGram(), new int[] {1}, new float[] {0f}, x));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> model.foldInTransient(model.itemGram(), new int[] {1, 1}, new float[] {1f, 1f}, x));
    }

    @Test
    void lossComputedThroughTheGramIsTheSumOverEveryPair() {
        float[][] w = weights(5, 8, 3);
        Factors users = Factors.random(5, 3, 0.7, 4);
        Factors items = Factors.random(8, 3, 0.7, 5);
        double naive = 0;
        for (int u = 0; u < 5; u++) {
            for (int i = 0; i < 8; i++) {
                double s = users.dot(u, items, i);
                double pref = w[u][i] > 0 ? 1 : 0;
                naive += P.confidence(w[u][i]) * (pref - s) * (pref - s);
            }
            naive += P.lambda() * users.dot(u, users, u);
        }
        for (int i = 0; i < 8; i++) {
            naive += P.lambda() * items.dot(i, items, i);
        }
        RatingMatrix.Csr rows = matrix(w).byUser();
        assertEquals(naive, ImplicitAls.loss(users, items, rows.start(), rows.cols(), rows.values(), P), 1e-6 * naive, "Factors.dot multiplies in float");
    }

    @Test
    void lossNeverIncreasesOverSweepsAndThreadsDoNotChangeTheResult() {
        float[][] w = weights(60, 40, 7);
        RatingMatrix m = matrix(w);
        ImplicitParams p = new ImplicitParams(5, 4.0, 0.5);
        Factors u1 = Factors.random(60, 5, 0.1, 8);
        Factors i1 = Factors.random(40, 5, 0.1, 9);
        Factors u2 = u1.copy();
        Factors i2 = i1.copy();
        RatingMatrix.Csr rows = m.byUser();
        double prev = ImplicitAls.loss(u1, i1, rows.start(), rows.cols(), rows.values(), p);
        double first = prev;
        try (ImplicitTrainer one = new ImplicitTrainer(p, 1); ImplicitTrainer three = new ImplicitTrainer(p, 3)) {
            for (int s = 0; s < 8; s++) {
                one.sweep(u1, i1, m);
                three.sweep(u2, i2, m);
                double loss = ImplicitAls.loss(u1, i1, rows.start(), rows.cols(), rows.values(), p);
                assertTrue(loss <= prev * (1 + 1e-6), "sweep " + s + ": " + loss + " > " + prev);
                prev = loss;
            }
        }
        assertTrue(prev < 0.8 * first, "sweeps must fit: " + first + " -> " + prev);
        for (int e = 0; e < 60; e++) {
            for (int a = 0; a < 5; a++) {
                assertEquals(u1.get(e, a), u2.get(e, a), 0f, "rows are solved independently of the threads");
            }
        }
    }

    @Test
    void userFoldInEventByEventIsTheRowSolveOfTheWholeHistory() {
        int items = 30;
        ImplicitParams p = new ImplicitParams(4, 3.0, 1.5);
        Factors users = new Factors(3, 4);
        Factors y = Factors.random(items, 4, 0.5, 21);
        ImplicitFoldIn fold = new ImplicitFoldIn(p, users, y);
        SplittableRandom rnd = new SplittableRandom(22);
        float[] history = new float[items];
        for (int e = 0; e < 25; e++) {
            int i = rnd.nextInt(10); // repeats: weights of a known pair accumulate
            float w = 0.5f + rnd.nextInt(3);
            fold.foldInUser(1, i, w);
            history[i] += w;
            double[] x = dense(history, y, p);
            for (int a = 0; a < 4; a++) {
                assertEquals(x[a], users.get(1, a), 1e-5, "event " + e + " entry " + a);
            }
            assertEquals(history[i], fold.weight(1, i), 0f);
        }
    }

    @Test
    void foldInKeepsBothGramsExactByRankTwoUpdates() {
        float[][] w = weights(20, 15, 31);
        ImplicitParams p = new ImplicitParams(4, 2.0, 1.0);
        Factors users = Factors.random(20, 4, 0.3, 32);
        Factors items = Factors.random(15, 4, 0.3, 33);
        try (ImplicitTrainer t = new ImplicitTrainer(p, 1)) {
            t.sweep(users, items, matrix(w));
        }
        ImplicitFoldIn fold = new ImplicitFoldIn(p, users, items);
        fold.rebuild(matrix(w));
        SplittableRandom rnd = new SplittableRandom(34);
        for (int e = 0; e < 200; e++) {
            fold.apply(rnd.nextInt(20), rnd.nextInt(15), 1f);
        }
        double[] yty = ImplicitAls.gram(items, 15);
        double[] xtx = ImplicitAls.gram(users, 20);
        for (int k = 0; k < yty.length; k++) {
            assertEquals(yty[k], fold.itemGram()[k], 1e-9 * (1 + Math.abs(yty[k])), "YᵀY entry " + k);
            assertEquals(xtx[k], fold.userGram()[k], 1e-9 * (1 + Math.abs(xtx[k])), "XᵀX entry " + k);
        }
    }
}

package io.foldin.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BprTest {
    private static final BprParams P = new BprParams(2, 0.1, 0.2, 0.3, 1, BprParams.Negatives.UNIFORM, 1, 5);

    /**
     * D = 2, U_u = (1, 2), V_i = (0.5, −1), V_j = (0.25, 0.5), b_i = 0.1, b_j = −0.2:
     * x = 0.1 + 0.2 + (1·0.25 + 2·(−1.5)) = −2.45, g = σ(2.45); each parameter moves by α times the gradient of
     * f = ln σ(x) − λ/2 |θ|² − λ_b/2 b², written out by hand below.
     */
    @Test
    void oneStepMatchesTheHandComputedGradient() {
        Bpr m = Bpr.initial(P, 1, 2, 1);
        m.set(0, new float[] {1, 2}, 0, new float[] {0.5f, -1}, 0.1f);
        m.set(0, new float[] {1, 2}, 1, new float[] {0.25f, 0.5f}, -0.2f);
        double x = -2.45;
        double g = 1 / (1 + Math.exp(x));
        double lnSigma = m.step(0, 0, 1);
        assertEquals(-Math.log(1 + Math.exp(2.45)), lnSigma, 1e-6);
        double a = 0.1;
        assertArrayEquals(new float[] {(float) (1 + a * (g * 0.25 - 0.2 * 1)), (float) (2 + a * (g * -1.5 - 0.2 * 2))},
                m.userVector(0), 1e-6f);
        assertArrayEquals(new float[] {(float) (0.5 + a * (g * 1 - 0.2 * 0.5)), (float) (-1 + a * (g * 2 - 0.2 * -1))},
                m.itemVector(0), 1e-6f);
        assertArrayEquals(new float[] {(float) (0.25 + a * (-g * 1 - 0.2 * 0.25)),
            (float) (0.5 + a * (-g * 2 - 0.2 * 0.5))}, m.itemVector(1), 1e-6f);
        assertEquals(0.1 + a * (g - 0.3 * 0.1), m.itemBias(0), 1e-6);
        assertEquals(-0.2 + a * (-g - 0.3 * -0.2), m.itemBias(1), 1e-6);
    }

    /** The step is α times the gradient of f: checked against central finite differences of f. */
    @Test
    void stepIsAlphaTimesTheNumericalGradient() {
        float[] uu = {0.3f, -0.7f};
        float[] vi = {0.2f, 0.4f};
        float[] vj = {-0.5f, 0.1f};
        double h = 1e-4;
        double[] theta = {uu[0], uu[1], vi[0], vi[1], vj[0], vj[1], 0.05, -0.1};
        double[] grad = new double[theta.length];
        for (int k = 0; k < theta.length; k++) {
            double[] plus = theta.clone();
            double[] minus = theta.clone();
            plus[k] += h;
            minus[k] -= h;
            grad[k] = (f(plus) - f(minus)) / (2 * h);
        }
        Bpr m = Bpr.initial(P, 1, 2, 1);
        m.set(0, uu, 0, vi, 0.05f);
        m.set(0, uu, 1, vj, -0.1f);
        m.step(0, 0, 1);
        double a = P.learningRate();
        assertEquals(theta[0] + a * grad[0], m.userVector(0)[0], 1e-5);
        assertEquals(theta[1] + a * grad[1], m.userVector(0)[1], 1e-5);
        assertEquals(theta[2] + a * grad[2], m.itemVector(0)[0], 1e-5);
        assertEquals(theta[5] + a * grad[5], m.itemVector(1)[1], 1e-5);
        assertEquals(theta[6] + a * grad[6], m.itemBias(0), 1e-5);
        assertEquals(theta[7] + a * grad[7], m.itemBias(1), 1e-5);
    }

    private static double f(double[] t) {
        double x = t[6] - t[7] + t[0] * (t[2] - t[4]) + t[1] * (t[3] - t[5]);
        double norms = t[0] * t[0] + t[1] * t[1] + t[2] * t[2] + t[3] * t[3] + t[4] * t[4] + t[5] * t[5];
        return Bpr.logSigmoid(x) - P.regularization() / 2 * norms - P.biasRegularization() / 2 * (t[6] * t[6] + t[7] * t[7]);
    }

    /** Two taste groups over 30 items, seeded: BPR-OPT (exact, all triplets) rises epoch by epoch. */
    @Test
    void objectiveRisesOverEpochs() {
        Interactions s = synthetic(40, 30, 3);
        BprParams p = new BprParams(4, 0.05, 0.01, 0.01, 1, BprParams.Negatives.UNIFORM, 1, 5);
        Bpr m = Bpr.initial(p, s.numUsers(), s.numItems(), 11);
        SplittableRandom rnd = new SplittableRandom(5);
        double before = m.objective(s);
        double previous = before;
        for (int e = 0; e < 8; e++) {
            m.epoch(s, rnd);
            double now = m.objective(s);
            assertTrue(now > previous, "epoch " + e + ": " + now + " after " + previous);
            previous = now;
        }
        assertTrue(previous > before + 0.1, before + " -> " + previous);
    }

    @Test
    void sameSeedSameModelAndPopularityNegativesRun() {
        Interactions s = synthetic(20, 15, 9);
        for (BprParams.Negatives n : BprParams.Negatives.values()) {
            BprParams p = new BprParams(3, 0.05, 0.01, 0.01, 1, n, 1, 5);
            Bpr a = Bpr.initial(p, s.numUsers(), s.numItems(), 3);
            Bpr b = Bpr.initial(p, s.numUsers(), s.numItems(), 3);
            a.epoch(s, new SplittableRandom(1));
            b.epoch(s, new SplittableRandom(1));
            assertArrayEquals(a.userVector(7), b.userVector(7));
            assertArrayEquals(a.itemVector(4), b.itemVector(4));
            for (int t = 0; t < 200; t++) {
                int j = a.negative(s, 2, new SplittableRandom(t));
                assertTrue(j >= 0 && !s.contains(2, j), "negative " + j);
            }
        }
    }

    /**
     * The online update: a new interaction (u, i), for an existing user and for a user the model has never seen,
     * raises ŷ_ui above the mean score of u's negatives and adds (u, i) to S.
     */
    @Test
    void observeLearnsOneNewInteraction() {
        Interactions s = synthetic(20, 15, 9);
        BprParams p = new BprParams(3, 0.1, 0.01, 0.01, 1, BprParams.Negatives.UNIFORM, 1, 30);
        Bpr m = Bpr.initial(p, s.numUsers(), s.numItems(), 3);
        SplittableRandom rnd = new SplittableRandom(2);
        for (int e = 0; e < 5; e++) {
            m.epoch(s, rnd);
        }
        int u = 0;
        int i = firstNegative(s, u);
        double before = m.score(u, i) - meanNegative(m, s, u, i);
        m.observe(s, u, i, rnd);
        assertTrue(s.contains(u, i));
        assertTrue(m.score(u, i) - meanNegative(m, s, u, i) > before, "margin grew");

        int fresh = s.numUsers() + 2;
        m.observe(s, fresh, 4, rnd);
        assertEquals(fresh + 1, m.users());
        assertTrue(m.score(fresh, 4) > meanNegative(m, s, fresh, 4), "new user's item above its negatives");
    }

    private static double meanNegative(Bpr m, Interactions s, int u, int exclude) {
        double sum = 0;
        int n = 0;
        for (int j = 0; j < m.items(); j++) {
            if (j != exclude && !s.contains(u, j)) {
                sum += m.score(u, j);
                n++;
            }
        }
        return sum / n;
    }

    private static int firstNegative(Interactions s, int u) {
        for (int j = 0; ; j++) {
            if (!s.contains(u, j)) {
                return j;
            }
        }
    }

    /** Users of group g = u % 2 like items of the same parity, with probability 0.6, others 0.05. */
    static Interactions synthetic(int users, int items, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        Interactions s = new Interactions(users, items);
        for (int u = 0; u < users; u++) {
            for (int i = 0; i < items; i++) {
                if (rnd.nextDouble() < (i % 2 == u % 2 ? 0.6 : 0.05)) {
                    s.add(u, i);
                }
            }
        }
        return s;
    }
}

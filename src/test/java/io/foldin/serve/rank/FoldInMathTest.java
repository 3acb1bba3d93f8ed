package io.foldin.serve.rank;

import io.foldin.model.AlsParams;
import io.foldin.model.PackedGram;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** TransientUser and PredictionVariance against a dense Gauss-Jordan reference. */
class FoldInMathTest {
    static final AlsParams P = new AlsParams(6, 1.3, 15.0, 3.0);
    static final int N = P.dim();

    /** A = λ Σ y yᵀ + diag(τ,…,τ,γ) for y = [V; 1], dense. */
    static double[][] precision(float[] items, int count) {
        double[][] a = new double[N][N];
        for (int i = 0; i < count; i++) {
            double[] y = y(items, i);
            for (int p = 0; p < N; p++) {
                for (int q = 0; q < N; q++) {
                    a[p][q] += P.lambda() * y[p] * y[q];
                }
            }
        }
        for (int p = 0; p < N; p++) {
            a[p][p] += p < N - 1 ? P.tau() : P.gamma();
        }
        return a;
    }

    static double[] y(float[] items, int i) {
        double[] y = new double[N];
        for (int p = 0; p < N - 1; p++) {
            y[p] = items[i * N + p];
        }
        y[N - 1] = 1;
        return y;
    }

    static double[][] inverse(double[][] a) {
        int n = a.length;
        double[][] m = new double[n][2 * n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(a[i], 0, m[i], 0, n);
            m[i][n + i] = 1;
        }
        for (int c = 0; c < n; c++) {
            int piv = c;
            for (int r = c + 1; r < n; r++) {
                if (Math.abs(m[r][c]) > Math.abs(m[piv][c])) {
                    piv = r;
                }
            }
            double[] t = m[c];
            m[c] = m[piv];
            m[piv] = t;
            double d = m[c][c];
            for (int j = 0; j < 2 * n; j++) {
                m[c][j] /= d;
            }
            for (int r = 0; r < n; r++) {
                if (r != c) {
                    double f = m[r][c];
                    for (int j = 0; j < 2 * n; j++) {
                        m[r][j] -= f * m[c][j];
                    }
                }
            }
        }
        double[][] inv = new double[n][n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(m[i], n, inv[i], 0, n);
        }
        return inv;
    }

    static float[] randomItems(SplittableRandom rnd, int count) {
        float[] items = new float[count * N];
        for (int j = 0; j < items.length; j++) {
            items[j] = (float) rnd.nextGaussian();
        }
        return items;
    }

    @Test
    void transientUserSolvesTheAugmentedSystem() {
        SplittableRandom rnd = new SplittableRandom(21);
        TransientUser tu = new TransientUser(P);
        double mu = 3.4;
        for (int trial = 0; trial < 50; trial++) {
            int count = rnd.nextInt(0, 12);
            float[] items = randomItems(rnd, count);
            float[] ratings = new float[count];
            double[] c = new double[N];
            for (int i = 0; i < count; i++) {
                ratings[i] = 0.5f * rnd.nextInt(1, 11);
                double x = ratings[i] - mu - items[i * N + N - 1];
                double[] y = y(items, i);
                for (int p = 0; p < N; p++) {
                    c[p] += P.lambda() * x * y[p];
                }
            }
            double[][] inv = inverse(precision(items, count));
            float[] out = new float[N];
            assertTrue(tu.solve(items, ratings, count, mu, out));
            for (int p = 0; p < N; p++) {
                double want = 0;
                for (int q = 0; q < N; q++) {
                    want += inv[p][q] * c[q];
                }
                assertEquals(want, out[p], 1e-5, "trial " + trial + " entry " + p);
            }
        }
    }

    @Test
    void predictionVarianceIsTheQuadraticFormOfTheInversePrecision() {
        SplittableRandom rnd = new SplittableRandom(8);
        PredictionVariance pv = new PredictionVariance(P);
        for (int trial = 0; trial < 50; trial++) {
            int count = rnd.nextInt(0, 30);
            float[] items = randomItems(rnd, count);
            double[] g = new double[PackedGram.size(N)];
            double[] tmp = new double[N];
            for (int i = 0; i < count; i++) {
                PackedGram.addOuter(g, N, items, i * N, 1.0, tmp);
            }
            float[] item = randomItems(rnd, 1);
            double[] y = y(item, 0);
            double[][] inv = inverse(precision(items, count));
            double want = 0;
            for (int p = 0; p < N; p++) {
                for (int q = 0; q < N; q++) {
                    want += y[p] * inv[p][q] * y[q];
                }
            }
            double got = pv.meanVariance(g, item);
            assertEquals(want, got, 1e-9 * Math.max(1, want), "trial " + trial);
            assertEquals(want + 1 / P.lambda(), pv.ratingVariance(got), 1e-9);
        }
    }

    @Test
    void moreRatingsMeanLessUncertainty() {
        SplittableRandom rnd = new SplittableRandom(9);
        PredictionVariance pv = new PredictionVariance(P);
        float[] items = randomItems(rnd, 200);
        float[] item = randomItems(rnd, 1);
        double[] g = new double[PackedGram.size(N)];
        double[] tmp = new double[N];
        double last = Double.POSITIVE_INFINITY;
        for (int i = 0; i < 200; i++) {
            PackedGram.addOuter(g, N, items, i * N, 1.0, tmp);
            double v = pv.meanVariance(g, item);
            assertTrue(v <= last + 1e-12, "variance grew at rating " + i);
            last = v;
        }
    }
}

package io.foldin.data.twin;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The twin's ratings carry low-rank structure a factor model can find: a small biased ALS (the
 * augmented form of docs/design.md §1.2, test-only code) beats a bias-only model by a wide margin
 * on held-out ratings, and the hidden score correlates with the rating.
 */
class TwinLowRankTest {
    private static final int D = 10;

    @Test
    void hiddenScoreCorrelatesWithTheRating() {
        Twin t = TwinGenerator.generate(TwinConfig.of(0.005, 21));
        double sx = 0;
        double sy = 0;
        double sxx = 0;
        double syy = 0;
        double sxy = 0;
        int n = t.size();
        for (int k = 0; k < n; k++) {
            double x = t.model().score(t.user(k), t.item(k));
            double y = t.rating(k);
            sx += x;
            sy += y;
            sxx += x * x;
            syy += y * y;
            sxy += x * y;
        }
        double cov = sxy / n - sx / n * sy / n;
        double corr = cov / Math.sqrt((sxx / n - sx * sx / n / n) * (syy / n - sy * sy / n / n));
        // signal variance 0.82 against noise 0.35 gives √(0.82/1.17) ≈ 0.84 before rounding to half-stars
        assertTrue(corr > 0.75, "correlation " + corr);
    }

    @Test
    void halfOfEachItemFactorIsPredictableFromTheGenres() {
        Twin t = TwinGenerator.generate(TwinConfig.of(0.02, 21));
        int g = Genres.COUNT;
        double[] xtx = new double[g * g];
        double[][] xty = new double[D][g];
        double[] x = new double[g];
        for (int i = 0; i < t.items(); i++) {
            int mask = t.genres(i);
            for (int a = 0; a < g; a++) {
                x[a] = ((mask >>> a) & 1) / Math.sqrt(Integer.bitCount(mask));
            }
            for (int a = 0; a < g; a++) {
                for (int b = 0; b < g; b++) {
                    xtx[a * g + b] += x[a] * x[b];
                }
                for (int f = 0; f < D; f++) {
                    xty[f][a] += x[a] * t.model().itemFactor(i, f);
                }
            }
        }
        for (int a = 0; a < g; a++) {
            xtx[a * g + a] += 1e-6; // IMAX may be missing at this scale
        }
        double explained = 0;
        double total = 0;
        for (int f = 0; f < D; f++) {
            double[] beta = cholSolve(xtx, xty[f], g);
            for (int i = 0; i < t.items(); i++) {
                int mask = t.genres(i);
                double fit = 0;
                for (int a = 0; a < g; a++) {
                    fit += beta[a] * ((mask >>> a) & 1) / Math.sqrt(Integer.bitCount(mask));
                }
                double v = t.model().itemFactor(i, f);
                explained += (v - fit) * (v - fit);
                total += v * v;
            }
        }
        double r2 = 1 - explained / total;
        assertTrue(r2 > 0.4 && r2 < 0.6, "genres explain " + r2 + " of the item factor variance, want ≈ 0.5");
    }

    @Test
    void factorModelBeatsBiasesOnHeldOutRatings() {
        Twin t = TwinGenerator.generate(TwinConfig.of(0.01, 21));
        int n = t.size();
        boolean[] test = new boolean[n];
        Random rnd = new Random(1);
        for (int k = 0; k < n; k++) {
            test[k] = rnd.nextInt(10) == 0;
        }
        double mu = 0;
        int m = 0;
        for (int k = 0; k < n; k++) {
            if (!test[k]) {
                mu += t.rating(k);
                m++;
            }
        }
        mu /= m;
        double biasOnly = rmse(t, test, mu, fit(t, test, mu, 0, 10));
        double factors = rmse(t, test, mu, fit(t, test, mu, D, 10));
        assertTrue(factors < 0.85 * biasOnly, "factor RMSE " + factors + " vs bias-only " + biasOnly);
    }

    /** Alternating ridge solves of [U_u; b_u] and [V_i; b_i] (rank d, d = 0 for biases only). */
    private static double[][][] fit(Twin t, boolean[] test, double mu, int d, int sweeps) {
        int k1 = d + 1;
        double[][] user = new double[t.users()][k1];
        double[][] item = new double[t.items()][k1];
        Random rnd = new Random(2);
        for (double[] v : item) {
            for (int f = 0; f < d; f++) {
                v[f] = 0.1 * rnd.nextGaussian();
            }
        }
        for (int s = 0; s < sweeps; s++) {
            solveSide(t, test, mu, d, user, item, true);
            solveSide(t, test, mu, d, item, user, false);
        }
        return new double[][][] {user, item};
    }

    private static void solveSide(Twin t, boolean[] test, double mu, int d, double[][] target, double[][] other,
                                  boolean byUser) {
        int k1 = d + 1;
        double[][] a = new double[target.length][k1 * k1];
        double[][] c = new double[target.length][k1];
        double[] y = new double[k1];
        for (int k = 0; k < t.size(); k++) {
            if (test[k]) {
                continue;
            }
            int me = byUser ? t.user(k) : t.item(k);
            double[] o = other[byUser ? t.item(k) : t.user(k)];
            System.arraycopy(o, 0, y, 0, d);
            y[d] = 1;
            double x = t.rating(k) - mu - o[d];
            double[] am = a[me];
            double[] cm = c[me];
            for (int p = 0; p < k1; p++) {
                cm[p] += x * y[p];
                for (int q = 0; q < k1; q++) {
                    am[p * k1 + q] += y[p] * y[q];
                }
            }
        }
        for (int e = 0; e < target.length; e++) {
            for (int p = 0; p < d; p++) {
                a[e][p * k1 + p] += 10; // τ
            }
            a[e][d * k1 + d] += 3; // γ
            target[e] = cholSolve(a[e], c[e], k1);
        }
    }

    private static double[] cholSolve(double[] a, double[] b, int n) {
        double[] l = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double s = a[i * n + j];
                for (int k = 0; k < j; k++) {
                    s -= l[i * n + k] * l[j * n + k];
                }
                l[i * n + j] = i == j ? Math.sqrt(s) : s / l[j * n + j];
            }
        }
        double[] z = new double[n];
        for (int i = 0; i < n; i++) {
            double s = b[i];
            for (int k = 0; k < i; k++) {
                s -= l[i * n + k] * z[k];
            }
            z[i] = s / l[i * n + i];
        }
        double[] x = new double[n];
        for (int i = n - 1; i >= 0; i--) {
            double s = z[i];
            for (int k = i + 1; k < n; k++) {
                s -= l[k * n + i] * x[k];
            }
            x[i] = s / l[i * n + i];
        }
        return x;
    }

    private static double rmse(Twin t, boolean[] test, double mu, double[][][] model) {
        double[][] user = model[0];
        double[][] item = model[1];
        int d = user[0].length - 1;
        double se = 0;
        int m = 0;
        for (int k = 0; k < t.size(); k++) {
            if (!test[k]) {
                continue;
            }
            double[] u = user[t.user(k)];
            double[] v = item[t.item(k)];
            double p = mu + u[d] + v[d];
            for (int f = 0; f < d; f++) {
                p += u[f] * v[f];
            }
            double e = t.rating(k) - Math.max(0.5, Math.min(5, p));
            se += e * e;
            m++;
        }
        return Math.sqrt(se / m);
    }
}

package io.foldin.model;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

public class ImplicitStatsTest {
    static final int D = 5;

    /** x = (G + λI + Σ α w y yᵀ)⁻¹ Σ (1 + α w) y by Gaussian elimination on the dense system (the closed form). */
    public static double[] closedForm(double[][] g, float[][] y, double[] w, ImplicitParams p) {
        int d = g.length;
        double[][] a = new double[d][d + 1];
        for (int r = 0; r < d; r++) {
            for (int c = 0; c < d; c++) {
                a[r][c] = g[r][c] + (r == c ? p.lambda() : 0);
            }
        }
        for (int k = 0; k < y.length; k++) {
            if (w[k] <= 0) {
                continue;
            }
            for (int r = 0; r < d; r++) {
                for (int c = 0; c < d; c++) {
                    a[r][c] += p.alpha() * w[k] * y[k][r] * y[k][c];
                }
                a[r][d] += (1 + p.alpha() * w[k]) * y[k][r];
            }
        }
        return gauss(a);
    }

    public static double[] gauss(double[][] a) {
        int d = a.length;
        for (int col = 0; col < d; col++) {
            int piv = col;
            for (int r = col + 1; r < d; r++) {
                if (Math.abs(a[r][col]) > Math.abs(a[piv][col])) {
                    piv = r;
                }
            }
            double[] t = a[col];
            a[col] = a[piv];
            a[piv] = t;
            for (int r = 0; r < d; r++) {
                if (r != col) {
                    double f = a[r][col] / a[col][col];
                    for (int c = col; c <= d; c++) {
                        a[r][c] -= f * a[col][c];
                    }
                }
            }
        }
        double[] x = new double[d];
        for (int r = 0; r < d; r++) {
            x[r] = a[r][d] / a[r][r];
        }
        return x;
    }

    static double[][] dense(double[] packed, int d) {
        double[][] g = new double[d][d];
        for (int r = 0; r < d; r++) {
            for (int c = r; c < d; c++) {
                g[r][c] = g[c][r] = packed[PackedGram.index(d, r, c)];
            }
        }
        return g;
    }

    @Test
    void weightChangesUpAndDownEqualTheStatisticsOfTheFinalWeights() {
        ImplicitParams p = new ImplicitParams(D, 10, 2);
        Random rnd = new Random(7);
        float[][] y = new float[6][D];
        for (float[] v : y) {
            for (int a = 0; a < D; a++) {
                v[a] = (float) rnd.nextGaussian();
            }
        }
        double[] w = new double[y.length];
        ImplicitStats s = new ImplicitStats(D);
        for (int step = 0; step < 200; step++) {
            int k = rnd.nextInt(y.length);
            // more weight, a rating's 1 taken away, or the pair gone entirely
            double next = switch (rnd.nextInt(3)) {
                case 0 -> w[k] + 0.5 + rnd.nextInt(3);
                case 1 -> Math.max(0, w[k] - 1);
                default -> 0;
            };
            s.change(y[k], 0, w[k], next, p.alpha());
            w[k] = next;
        }
        ImplicitStats fresh = new ImplicitStats(D);
        int count = 0;
        for (int k = 0; k < y.length; k++) {
            fresh.change(y[k], 0, 0, w[k], p.alpha());
            count += w[k] > 0 ? 1 : 0;
        }
        assertEquals(count, s.count());
        assertArrayEquals(fresh.s(), s.s(), 1e-9);
        assertArrayEquals(fresh.h(), s.h(), 1e-9);

        double[] gram = new double[PackedGram.size(D)];
        for (float[] v : y) {
            ImplicitAls.addOuter(gram, D, v, 0, 1.0, new double[D]);
        }
        float[] x = new float[D];
        s.solve(gram, p, x, 0, new ImplicitAls.Workspace(D));
        double[] expected = closedForm(dense(gram, D), y, w, p);
        for (int a = 0; a < D; a++) {
            assertEquals(expected[a], x[a], 1e-5 * (1 + Math.abs(expected[a])));
        }
    }

    @Test
    void encodesAndDecodesExactly() {
        ImplicitStats s = new ImplicitStats(D);
        s.change(new float[]{1, -2, 0.5f, 3, 0.25f}, 0, 0, 2.5, 10);
        ImplicitStats back = new ImplicitStats(D).decode(s.encode());
        assertEquals(1, back.count());
        assertArrayEquals(s.s(), back.s(), 0);
        assertArrayEquals(s.h(), back.h(), 0);
    }

    @Test
    void withNoInteractionsTheVectorIsZero() {
        float[] x = {9, 9, 9, 9, 9};
        new ImplicitStats(D).solve(new double[PackedGram.size(D)], new ImplicitParams(D, 10, 1), x, 0,
                new ImplicitAls.Workspace(D));
        assertArrayEquals(new float[D], x, 0);
    }
}

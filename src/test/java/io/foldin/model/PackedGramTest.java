package io.foldin.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PackedGramTest {

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(ints = {1, 2, 5, 21, 22})
    void fourAtOnceEqualsFourSingleUpdates(int n) {
        SplittableRandom rnd = new SplittableRandom(n);
        double[][] ys = new double[4][n];
        for (double[] y : ys) {
            for (int a = 0; a < n; a++) {
                y[a] = rnd.nextGaussian();
            }
        }
        double[] expected = new double[PackedGram.size(n)];
        double[] actual = new double[PackedGram.size(n)];
        for (int j = 0; j < expected.length; j++) {
            expected[j] = actual[j] = rnd.nextGaussian();
        }
        for (double[] y : ys) {
            PackedGram.addOuter(expected, n, y, 1.0);
        }
        PackedGram.addOuter4(actual, n, ys[0], ys[1], ys[2], ys[3]);
        org.junit.jupiter.api.Assertions.assertArrayEquals(expected, actual, 1e-12);
    }

    @Test
    void outerProductsMatchDenseSum() {
        int d = 6;
        int n = d + 1;
        SplittableRandom rnd = new SplittableRandom(11);
        double[] g = new double[PackedGram.size(n)];
        double[] h = new double[n];
        double[][] dense = new double[n][n];
        double[] hd = new double[n];
        double[] tmp = new double[n];
        for (int r = 0; r < 50; r++) {
            float[] v = new float[d + 3];
            for (int a = 0; a < v.length; a++) {
                v[a] = (float) rnd.nextGaussian();
            }
            double w = rnd.nextDouble() * 2 - 0.5;
            double x = rnd.nextGaussian();
            PackedGram.addOuter(g, n, v, 2, w, tmp);
            PackedGram.addScaled(h, n, v, 2, x);
            double[] y = new double[n];
            for (int a = 0; a < d; a++) {
                y[a] = v[2 + a];
            }
            y[d] = 1;
            for (int a = 0; a < n; a++) {
                hd[a] += x * y[a];
                for (int b = 0; b < n; b++) {
                    dense[a][b] += w * y[a] * y[b];
                }
            }
        }
        double[] prior = new double[n];
        for (int a = 0; a < n; a++) {
            prior[a] = a + 1;
        }
        double[] full = new double[n * n];
        PackedGram.expand(g, n, 2.0, prior, full);
        for (int a = 0; a < n; a++) {
            assertEquals(hd[a], h[a], 1e-9);
            for (int b = 0; b < n; b++) {
                assertEquals(dense[a][b], g[PackedGram.index(n, Math.min(a, b), Math.max(a, b))], 1e-9);
                assertEquals(2.0 * dense[a][b] + (a == b ? prior[a] : 0), full[a * n + b], 1e-9);
            }
        }
    }
}

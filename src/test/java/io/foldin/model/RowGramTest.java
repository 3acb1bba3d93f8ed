package io.foldin.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RowGramTest {
    private static final int ENTITIES = 500;

    /** Surefire runs with --add-modules jdk.incubator.vector, so both kernels are under test. */
    @ParameterizedTest
    @CsvSource({"1,0", "1,5", "2,3", "5,1", "5,130", "8,9", "9,256", "21,0", "21,1", "21,127", "21,128",
            "21,129", "21,700", "22,300", "24,50", "33,200", "65,150"})
    void bothKernelsMatchTheNaiveSums(int n, int ratings) {
        assertTrue(RowGram.vectorModulePresent(), "tests run with the vector module");
        SplittableRandom rnd = new SplittableRandom(31L * n + ratings);
        float[] other = new float[ENTITIES * n];
        for (int j = 0; j < other.length; j++) {
            other[j] = (float) rnd.nextGaussian();
        }
        int pad = 7;
        int[] cols = new int[pad + ratings + pad];
        float[] vals = new float[cols.length];
        for (int k = 0; k < cols.length; k++) {
            cols[k] = rnd.nextInt(ENTITIES);
            vals[k] = 0.5f * (1 + rnd.nextInt(10));
        }
        double mu = 3.25;
        double[] g = new double[PackedGram.size(n)];
        double[] h = new double[n];
        naive(n, cols, vals, pad, pad + ratings, other, mu, g, h);
        for (RowGram kernel : new RowGram[] {new ScalarRowGram(n), new VectorRowGram(n)}) {
            double[] gk = new double[g.length];
            double[] hk = new double[n];
            java.util.Arrays.fill(gk, Double.NaN);
            java.util.Arrays.fill(hk, Double.NaN);
            kernel.form(cols, vals, pad, pad + ratings, other, n, mu, gk, hk);
            kernel.form(cols, vals, pad, pad + ratings, other, n, mu, gk, hk);
            double tol = 1e-12 * (1 + ratings);
            assertArrayEquals(g, gk, tol, kernel.name() + " G");
            assertArrayEquals(h, hk, tol, kernel.name() + " h");
        }
    }

    @ParameterizedTest
    @CsvSource({"scalar,scalar", "vector,vector"})
    void propertyForcesTheKernel(String forced, String expected) {
        String old = System.getProperty(RowGram.KERNEL_PROPERTY);
        System.setProperty(RowGram.KERNEL_PROPERTY, forced);
        try {
            assertEquals(expected, RowGram.create(21).name());
        } finally {
            if (old == null) {
                System.clearProperty(RowGram.KERNEL_PROPERTY);
            } else {
                System.setProperty(RowGram.KERNEL_PROPERTY, old);
            }
        }
    }

    /** G[a][b] = Σ y_a y_b and h[a] = Σ x y_a, one rating and one entry at a time. */
    private static void naive(int n, int[] cols, float[] vals, int from, int end, float[] other, double mu,
                              double[] g, double[] h) {
        int d = n - 1;
        double[] y = new double[n];
        for (int k = from; k < end; k++) {
            int off = cols[k] * n;
            for (int a = 0; a < d; a++) {
                y[a] = other[off + a];
            }
            y[d] = 1;
            double x = vals[k] - mu - other[off + d];
            for (int a = 0; a < n; a++) {
                h[a] += x * y[a];
                for (int b = a; b < n; b++) {
                    g[PackedGram.index(n, a, b)] += y[a] * y[b];
                }
            }
        }
    }
}

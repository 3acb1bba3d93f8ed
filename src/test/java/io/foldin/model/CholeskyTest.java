package io.foldin.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.LinearSolverFactory_DDRM;
import org.ejml.interfaces.linsol.LinearSolverDense;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class CholeskyTest {

    /** A random SPD matrix M Mᵀ + n I. */
    static double[] randomSpd(int n, SplittableRandom rnd) {
        double[] m = new double[n * n];
        for (int j = 0; j < m.length; j++) {
            m[j] = rnd.nextGaussian();
        }
        double[] a = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double s = i == j ? n : 0;
                for (int k = 0; k < n; k++) {
                    s += m[i * n + k] * m[j * n + k];
                }
                a[i * n + j] = s;
            }
        }
        return a;
    }

    /** Naive reference: Gaussian elimination with partial pivoting. */
    static double[] gaussSolve(double[] a0, double[] b0, int n) {
        double[] a = a0.clone();
        double[] b = b0.clone();
        for (int c = 0; c < n; c++) {
            int p = c;
            for (int r = c + 1; r < n; r++) {
                if (Math.abs(a[r * n + c]) > Math.abs(a[p * n + c])) {
                    p = r;
                }
            }
            for (int k = 0; k < n; k++) {
                double t = a[c * n + k];
                a[c * n + k] = a[p * n + k];
                a[p * n + k] = t;
            }
            double t = b[c];
            b[c] = b[p];
            b[p] = t;
            for (int r = c + 1; r < n; r++) {
                double f = a[r * n + c] / a[c * n + c];
                for (int k = c; k < n; k++) {
                    a[r * n + k] -= f * a[c * n + k];
                }
                b[r] -= f * b[c];
            }
        }
        double[] x = new double[n];
        for (int r = n - 1; r >= 0; r--) {
            double s = b[r];
            for (int k = r + 1; k < n; k++) {
                s -= a[r * n + k] * x[k];
            }
            x[r] = s / a[r * n + r];
        }
        return x;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 5, 21, 65})
    void solveMatchesNaiveReferenceAndEjml(int n) {
        SplittableRandom rnd = new SplittableRandom(7 + n);
        double[] a = randomSpd(n, rnd);
        double[] b = new double[n];
        for (int i = 0; i < n; i++) {
            b[i] = rnd.nextGaussian();
        }
        double[] expected = gaussSolve(a, b, n);

        double[] l = a.clone();
        double[] x = b.clone();
        assertTrue(Cholesky.factor(l, n));
        Cholesky.solve(l, n, x);
        assertArrayEquals(expected, x, 1e-10);

        LinearSolverDense<DMatrixRMaj> ejml = LinearSolverFactory_DDRM.symmPosDef(n);
        DMatrixRMaj am = DMatrixRMaj.wrap(n, n, a.clone());
        assertTrue(ejml.setA(am));
        DMatrixRMaj xm = new DMatrixRMaj(n, 1);
        ejml.solve(DMatrixRMaj.wrap(n, 1, b.clone()), xm);
        assertArrayEquals(xm.getData(), x, 1e-10);
    }

    @Test
    void inverseDiagonalMatchesEjmlInverse() {
        int n = 21;
        double[] a = randomSpd(n, new SplittableRandom(3));
        DMatrixRMaj inv = new DMatrixRMaj(n, n);
        assertTrue(CommonOps_DDRM.invert(DMatrixRMaj.wrap(n, n, a.clone()), inv));
        double[] l = a.clone();
        assertTrue(Cholesky.factor(l, n));
        double[] diag = new double[n];
        Cholesky.inverseDiagonal(l, n, diag, new double[n]);
        for (int j = 0; j < n; j++) {
            assertEquals(inv.get(j, j), diag[j], 1e-12);
        }
    }

    @Test
    void rejectsIndefiniteSingularAndNaN() {
        assertFalse(Cholesky.factor(new double[] {1, 2, 2, 1}, 2), "indefinite");
        assertFalse(Cholesky.factor(new double[] {1, 1, 1, 1}, 2), "singular");
        assertFalse(Cholesky.factor(new double[] {Double.NaN, 0, 0, 1}, 2), "NaN");
        assertFalse(Cholesky.factor(new double[] {1, 0, 0, Double.POSITIVE_INFINITY}, 2), "inf");
    }
}

package io.foldin.model;

/**
 * In-place Cholesky factorisation and solve of a symmetric positive-definite system on a row-major
 * n x n double array. A numerical failure is a return value, not an exception: the caller names the
 * entity and the fix.
 *
 * <p>{@code A = L Lᵀ}: {@code L[j][j] = sqrt(A[j][j] - Σ_{k<j} L[j][k]²)},
 * {@code L[i][j] = (A[i][j] - Σ_{k<j} L[i][k] L[j][k]) / L[j][j]} for i &gt; j. Only the lower
 * triangle is read and written, so the row prefixes being dotted are contiguous.
 */
public final class Cholesky {
    private Cholesky() {
    }

    /**
     * Overwrites the lower triangle of {@code a} with L. Returns false when a pivot is not positive
     * or not finite (A is not positive definite, or holds NaN/inf).
     */
    public static boolean factor(double[] a, int n) {
        for (int j = 0; j < n; j++) {
            int rj = j * n;
            double s = a[rj + j];
            for (int k = 0; k < j; k++) {
                s -= a[rj + k] * a[rj + k];
            }
            if (!(s > 0) || s == Double.POSITIVE_INFINITY) {
                return false;
            }
            double d = Math.sqrt(s);
            a[rj + j] = d;
            double inv = 1.0 / d;
            for (int i = j + 1; i < n; i++) {
                int ri = i * n;
                double t = a[ri + j];
                for (int k = 0; k < j; k++) {
                    t -= a[ri + k] * a[rj + k];
                }
                a[ri + j] = t * inv;
            }
        }
        return true;
    }

    /** Solves {@code L Lᵀ x = b} in place in {@code b}, with L from {@link #factor}. */
    public static void solve(double[] l, int n, double[] b) {
        for (int i = 0; i < n; i++) {
            int ri = i * n;
            double t = b[i];
            for (int k = 0; k < i; k++) {
                t -= l[ri + k] * b[k];
            }
            b[i] = t / l[ri + i];
        }
        for (int i = n - 1; i >= 0; i--) {
            double t = b[i];
            for (int k = i + 1; k < n; k++) {
                t -= l[k * n + i] * b[k];
            }
            b[i] = t / l[i * n + i];
        }
    }

    /**
     * Diagonal of {@code A⁻¹} from L: {@code A⁻¹ = L⁻ᵀ L⁻¹}, so {@code (A⁻¹)_jj = Σ_k x_k²} where
     * {@code L x = e_j} (x is column j of L⁻¹, zero above j). {@code x} is a workspace of n doubles.
     * Used for posterior variances.
     */
    public static void inverseDiagonal(double[] l, int n, double[] out, double[] x) {
        for (int j = 0; j < n; j++) {
            double sum = 0;
            for (int i = j; i < n; i++) {
                int ri = i * n;
                double t = i == j ? 1.0 : 0.0;
                for (int k = j; k < i; k++) {
                    t -= l[ri + k] * x[k];
                }
                x[i] = t / l[ri + i];
                sum += x[i] * x[i];
            }
            out[j] = sum;
        }
    }

    /**
     * The whole of {@code A⁻¹} from L, as the packed upper triangle of {@link PackedGram}:
     * {@code A⁻¹ = L⁻ᵀ L⁻¹}, so with {@code W = L⁻¹} (lower triangular, column j from {@code L w = e_j})
     * {@code (A⁻¹)_ab = Σ_{k ≥ max(a,b)} W_ka W_kb}. About n³/2 multiply-adds beyond the factorisation
     * (one more triangular inverse), 5k at n = 21. {@code w} is a workspace of n·n doubles.
     */
    public static void inversePacked(double[] l, int n, double[] out, double[] w) {
        for (int j = 0; j < n; j++) {
            for (int i = 0; i < j; i++) {
                w[i * n + j] = 0;
            }
            for (int i = j; i < n; i++) {
                int ri = i * n;
                double t = i == j ? 1.0 : 0.0;
                for (int k = j; k < i; k++) {
                    t -= l[ri + k] * w[k * n + j];
                }
                w[ri + j] = t / l[ri + i];
            }
        }
        int p = 0;
        for (int a = 0; a < n; a++) {
            for (int b = a; b < n; b++) {
                double s = 0;
                for (int k = b; k < n; k++) {
                    s += w[k * n + a] * w[k * n + b];
                }
                out[p++] = s;
            }
        }
    }

    /** {@code log det A = 2 Σ log L_jj}, from L. */
    public static double logDet(double[] l, int n) {
        double s = 0;
        for (int j = 0; j < n; j++) {
            s += Math.log(l[j * n + j]);
        }
        return 2 * s;
    }
}

package io.foldin.model;

/**
 * Symmetric matrices stored as their packed upper triangle, row by row: entry (a, b) with a &lt;= b
 * of an n x n matrix sits at {@code a*n - a*(a-1)/2 + (b - a)}; n(n+1)/2 doubles in all (231 for
 * n = 21, i.e. 1,848 B instead of 3,528 B).
 *
 * <p>The Gram statistics here are over augmented vectors {@code y = [v; 1]} of dimension
 * {@code n = D + 1}, so callers pass the D factor entries and the implicit trailing 1 is handled
 * inside.
 */
public final class PackedGram {
    private PackedGram() {
    }

    /** Number of doubles in the packed upper triangle of an n x n matrix. */
    public static int size(int n) {
        return n * (n + 1) / 2;
    }

    /** Offset of entry (a, b), a &lt;= b, in the packed layout. */
    public static int index(int n, int a, int b) {
        return a * n - a * (a - 1) / 2 + (b - a);
    }

    /**
     * {@code G += w y yᵀ} for {@code y = [v; 1]}, v being D = n - 1 floats at {@code v[off ..]}.
     * {@code tmp} is a workspace of at least n doubles.
     */
    public static void addOuter(double[] g, int n, float[] v, int off, double w, double[] tmp) {
        int d = n - 1;
        for (int a = 0; a < d; a++) {
            tmp[a] = v[off + a];
        }
        tmp[d] = 1.0;
        int p = 0;
        for (int a = 0; a < n; a++) {
            double wa = w * tmp[a];
            for (int b = a; b < n; b++) {
                g[p + b - a] += wa * tmp[b];
            }
            p += n - a;
        }
    }

    /** {@code h += w y} for {@code y = [v; 1]}. */
    public static void addScaled(double[] h, int n, float[] v, int off, double w) {
        int d = n - 1;
        for (int a = 0; a < d; a++) {
            h[a] += w * v[off + a];
        }
        h[d] += w;
    }

    /**
     * Writes {@code scale * G + diag(prior)} as a full row-major n x n matrix into {@code full}
     * (both triangles, so any Cholesky reading either side works).
     */
    public static void expand(double[] g, int n, double scale, double[] prior, double[] full) {
        int p = 0;
        for (int a = 0; a < n; a++) {
            full[a * n + a] = scale * g[p] + prior[a];
            for (int b = a + 1; b < n; b++) {
                double x = scale * g[p + b - a];
                full[a * n + b] = x;
                full[b * n + a] = x;
            }
            p += n - a;
        }
    }
}

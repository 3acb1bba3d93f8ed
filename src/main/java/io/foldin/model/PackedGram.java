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
        addOuter(g, n, tmp, w);
    }

    /**
     * {@code G += y0 y0ᵀ + y1 y1ᵀ + y2 y2ᵀ + y3 y3ᵀ} for four full augmented vectors (n doubles each,
     * trailing 1 included). Four ratings per pass over G: one load and store of each G entry per
     * four multiply-adds, where the one-rating update is bound by the stores.
     */
    public static void addOuter4(double[] g, int n, double[] y0, double[] y1, double[] y2, double[] y3) {
        int p = 0;
        int a = 0;
        // two rows per pass: each loaded y_q[b] feeds eight multiply-adds
        for (; a + 1 < n; a += 2) {
            double s0 = y0[a];
            double s1 = y1[a];
            double s2 = y2[a];
            double s3 = y3[a];
            double t0 = y0[a + 1];
            double t1 = y1[a + 1];
            double t2 = y2[a + 1];
            double t3 = y3[a + 1];
            g[p] += s0 * s0 + s1 * s1 + s2 * s2 + s3 * s3;
            int rowA = p - a;
            int rowB = p + (n - a) - (a + 1);
            for (int b = a + 1; b < n; b++) {
                double u0 = y0[b];
                double u1 = y1[b];
                double u2 = y2[b];
                double u3 = y3[b];
                g[rowA + b] += s0 * u0 + s1 * u1 + s2 * u2 + s3 * u3;
                g[rowB + b] += t0 * u0 + t1 * u1 + t2 * u2 + t3 * u3;
            }
            p += (n - a) + (n - a - 1);
        }
        if (a < n) {
            g[p] += y0[a] * y0[a] + y1[a] * y1[a] + y2[a] * y2[a] + y3[a] * y3[a];
        }
    }

    /** {@code G += w y yᵀ} for a full augmented vector y of n doubles (trailing 1 included). */
    public static void addOuter(double[] g, int n, double[] y, double w) {
        int p = 0;
        for (int a = 0; a < n; a++) {
            double wa = w * y[a];
            int base = p - a;
            for (int b = a; b < n; b++) {
                g[base + b] += wa * y[b];
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

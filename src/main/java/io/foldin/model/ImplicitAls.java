package io.foldin.model;

/**
 * The implicit-ALS normal equations (Hu, Koren, Volinsky 2008, eq. 4). With the other side's factors Y
 * fixed, user u's loss {@code Σ_i c_ui (p_ui − x_uᵀ y_i)² + λ‖x_u‖²} is minimised by
 *
 * <pre>  x_u = (YᵀY + Yᵤᵀ(Cᵤ − I)Yᵤ + λI)⁻¹ Yᵤᵀ Cᵤ pᵤ
 *       = (YᵀY + λI + Σ_{i∈N(u)} α w_ui y_i y_iᵀ)⁻¹ Σ_{i∈N(u)} (1 + α w_ui) y_i</pre>
 *
 * where N(u) are u's interactions: the unobserved pairs (c = 1, p = 0) enter only through the shared
 * Gram {@code YᵀY}, so a row costs O(|N(u)| D² + D³), not O(|items| D²). Items are symmetric. Factor
 * vectors live in {@link Factors} (stride D + 1; the bias slot is unused and stays 0).
 *
 * <p>The per-entity sufficient statistics are {@code S_u = Σ α w_ui y_i y_iᵀ} (packed, as
 * {@link PackedGram}) and {@code h_u = Σ (1 + α w_ui) y_i}; with them and {@code YᵀY} the fold-in of
 * one more interaction is an O(D²) update and one D x D Cholesky solve.
 */
public final class ImplicitAls {
    private ImplicitAls() {
    }

    /** {@code G = Σ_e v_e v_eᵀ} over the first {@code count} vectors of {@code f}, packed. */
    public static double[] gram(Factors f, int count) {
        int d = f.dim();
        double[] g = new double[PackedGram.size(d)];
        double[] v = new double[d];
        for (int e = 0; e < count; e++) {
            addOuter(g, d, f.data(), f.offset(e), 1.0, v);
        }
        return g;
    }

    /** {@code G += w v vᵀ} for the D floats at {@code data[off ..]}; {@code tmp} holds D doubles. */
    public static void addOuter(double[] g, int d, float[] data, int off, double w, double[] tmp) {
        for (int a = 0; a < d; a++) {
            tmp[a] = data[off + a];
        }
        PackedGram.addOuter(g, d, tmp, w);
    }

    /** {@code h += w v} for the D floats at {@code data[off ..]}. */
    public static void addScaled(double[] h, int d, float[] data, int off, double w) {
        for (int a = 0; a < d; a++) {
            h[a] += w * data[off + a];
        }
    }

    /**
     * Solves one row from its entries {@code cols[from..to)} with weights {@code w[..]}:
     * {@code x = (gram + λI + Σ α w_k y_k y_kᵀ)⁻¹ Σ (1 + α w_k) y_k}, written as D floats to
     * {@code out[outOff ..]}. Entries with weight ≤ 0 are not interactions and are skipped.
     * {@code ws} is a per-thread workspace. Returns false if the system is not positive definite.
     */
    public static boolean solveRow(double[] gram, ImplicitParams p, int[] cols, float[] w, int from, int to,
                                   Factors other, float[] out, int outOff, Workspace ws) {
        int d = p.factors();
        double[] a = ws.full;
        double[] b = ws.rhs;
        expand(gram, d, p.lambda(), a);
        java.util.Arrays.fill(b, 0);
        float[] y = other.data();
        double[][] sy = ws.scaled;
        double[][] yy = ws.rows;
        int q = 0;
        for (int k = from; k < to; k++) {
            double wk = w[k];
            if (!(wk > 0)) {
                continue;
            }
            int off = other.offset(cols[k]);
            double aw = p.alpha() * wk;
            double cw = 1 + aw;
            double[] sq = sy[q];
            double[] yq = yy[q];
            for (int r = 0; r < d; r++) {
                double v = y[off + r];
                yq[r] = v;
                sq[r] = aw * v;
                b[r] += cw * v;
            }
            if (++q == 4) {
                addLower4(a, d, sy, yy);
                q = 0;
            }
        }
        if (q > 0) {
            // the remainder: the unused slots' scaled rows are zeroed, so they add nothing
            for (int z = q; z < 4; z++) {
                java.util.Arrays.fill(sy[z], 0, d, 0.0);
            }
            addLower4(a, d, sy, yy);
        }
        return factorSolve(a, b, d, out, outOff);
    }

    /**
     * Solves from sufficient statistics: {@code x = (gram + S + λI)⁻¹ h}, S and gram packed. The fold-in
     * path: S and h hold the row's interactions, gram the other side's {@code YᵀY}.
     */
    public static boolean solveStats(double[] gram, double[] s, double[] h, ImplicitParams p, float[] out,
                                     int outOff, Workspace ws) {
        int d = p.factors();
        double[] a = ws.full;
        expand(gram, d, p.lambda(), a);
        int q = 0;
        for (int r = 0; r < d; r++) {
            for (int c = r; c < d; c++) {
                a[c * d + r] += s[q++];
            }
        }
        System.arraycopy(h, 0, ws.rhs, 0, d);
        return factorSolve(a, ws.rhs, d, out, outOff);
    }

    /**
     * The loss {@code Σ_{u,i} c_ui (p_ui − x_uᵀy_i)² + λ(Σ‖x_u‖² + Σ‖y_i‖²)} over all pairs, computed as
     * {@code Σ_u x_uᵀ(YᵀY)x_u + Σ_{observed} [c (1 − s)² − s²] + reg} (s = x_uᵀy_i): the first term counts
     * every pair as unobserved, the second corrects the observed ones.
     */
    public static double loss(Factors users, Factors items, int[] start, int[] cols, float[] w, ImplicitParams p) {
        int d = p.factors();
        double[] yty = gram(items, items.count());
        double total = 0;
        for (int u = 0; u < users.count(); u++) {
            total += quadratic(yty, d, users.data(), users.offset(u));
            total += p.lambda() * norm2(users.data(), users.offset(u), d);
            if (u + 1 < start.length) {
                for (int k = start[u]; k < start[u + 1]; k++) {
                    if (w[k] > 0) {
                        double s = users.dot(u, items, cols[k]);
                        total += p.confidence(w[k]) * (1 - s) * (1 - s) - s * s;
                    }
                }
            }
        }
        for (int i = 0; i < items.count(); i++) {
            total += p.lambda() * norm2(items.data(), items.offset(i), d);
        }
        return total;
    }

    /** {@code vᵀ G v} for packed G. */
    static double quadratic(double[] g, int d, float[] v, int off) {
        double s = 0;
        int q = 0;
        for (int a = 0; a < d; a++) {
            double va = v[off + a];
            s += g[q++] * va * va;
            for (int b = a + 1; b < d; b++) {
                s += 2 * g[q++] * va * v[off + b];
            }
        }
        return s;
    }

    private static double norm2(float[] v, int off, int d) {
        double s = 0;
        for (int a = 0; a < d; a++) {
            s += v[off + a] * v[off + a];
        }
        return s;
    }

    /**
     * {@code A += Σ_{q<4} s_q y_qᵀ} on the lower triangle, with {@code s_q = α w_q y_q}: four interactions per
     * pass over A, so each entry is loaded and stored once per four multiply-adds (the one-at-a-time update is
     * bound by those stores). Cholesky reads nothing above the diagonal.
     */
    private static void addLower4(double[] a, int d, double[][] s, double[][] y) {
        double[] s0 = s[0];
        double[] s1 = s[1];
        double[] s2 = s[2];
        double[] s3 = s[3];
        double[] y0 = y[0];
        double[] y1 = y[1];
        double[] y2 = y[2];
        double[] y3 = y[3];
        for (int r = 0; r < d; r++) {
            double a0 = s0[r];
            double a1 = s1[r];
            double a2 = s2[r];
            double a3 = s3[r];
            int row = r * d;
            for (int c = 0; c <= r; c++) {
                a[row + c] += a0 * y0[c] + a1 * y1[c] + a2 * y2[c] + a3 * y3[c];
            }
        }
    }

    /** Lower triangle of {@code G + λI} into the row-major D x D {@code a}. */
    private static void expand(double[] g, int d, double lambda, double[] a) {
        int q = 0;
        for (int r = 0; r < d; r++) {
            for (int c = r; c < d; c++) {
                a[c * d + r] = g[q++];
            }
            a[r * d + r] += lambda;
        }
    }

    private static boolean factorSolve(double[] a, double[] b, int d, float[] out, int outOff) {
        if (!Cholesky.factor(a, d)) {
            return false;
        }
        Cholesky.solve(a, d, b);
        for (int r = 0; r < d; r++) {
            out[outOff + r] = (float) b[r];
        }
        return true;
    }

    /** Per-thread scratch of one D x D solve. */
    public static final class Workspace {
        final double[] full;
        final double[] rhs;
        /** Four interactions' {@code α w y} and {@code y}, for {@link #addLower4}. */
        final double[][] scaled;
        final double[][] rows;

        public Workspace(int d) {
            this.full = new double[d * d];
            this.rhs = new double[d];
            this.scaled = new double[4][d];
            this.rows = new double[4][d];
        }
    }
}

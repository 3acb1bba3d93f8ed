package io.foldin.model;

/**
 * The covariances of one side's Gaussian posteriors {@code q(θ_e) = N(mean_e, S_e)}, θ_e = {@code [U_e; b_e]}
 * (users) or {@code [V_e; b_e]} (items), n = D + 1 coordinates. The means live in {@link Factors}; this holds
 * S_e, and {@code log det S_e} for the entropy term of the ELBO ({@link VariationalTrainer#elbo}).
 *
 * <p>{@link Covariance#FULL}: S_e = A_e⁻¹ whole, the packed upper triangle of {@link PackedGram},
 * n(n+1)/2 doubles per entity. {@link Covariance#DIAGONAL}: the mean-field q with independent coordinates,
 * n variances per entity, {@code s_k = 1 / A_kk} (the diagonal q that maximises the ELBO; {@code (A⁻¹)_kk},
 * the seed's choice, is the marginal variance of the full posterior but not an ELBO maximiser among
 * diagonal q, so with it the ELBO could fall).
 *
 * <p>Two sums feed the other side's update (Algorithm 11 of seed 003, with biases): the expected
 * statistics of an entity whose ratings j have covariances T_j are
 * {@code G = Σ_j (y_j y_jᵀ + pad(T_j,VV))} and {@code h = Σ_j (x_j y_j − pad(T_j,Vb))}: pad puts the
 * D×D factor block (resp. the factor–bias covariance column) in a zero (D+1)-matrix (vector), because
 * the augmented vector {@code [V_j; 1]} has covariance {@code [[T_VV, 0], [0, 0]]}, and the random
 * bias b_j of the target {@code x_j = r − μ − b_j} correlates with V_j through T_Vb
 * ({@link #accumulate}, {@link #applyPadded}). A fresh Posterior is all zero: point masses at the means,
 * so the first half-sweep is the MAP one.
 */
public final class Posterior {
    /** Which covariance q keeps per entity. */
    public enum Covariance {
        FULL("full"), DIAGONAL("diagonal");

        private final String label;

        Covariance(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }

        public static Covariance parse(String s) {
            for (Covariance c : values()) {
                if (c.label.equalsIgnoreCase(s) || c.name().equalsIgnoreCase(s)) {
                    return c;
                }
            }
            throw new IllegalArgumentException("unknown covariance '" + s + "': use full or diagonal");
        }

        @Override
        public String toString() {
            return label;
        }
    }

    private final int count;
    private final int n;
    private final Covariance kind;
    private final int stride;
    private final double[] data;
    private final double[] logDet;

    public Posterior(int count, int n, Covariance kind) {
        this.count = count;
        this.n = n;
        this.kind = kind;
        this.stride = kind == Covariance.FULL ? PackedGram.size(n) : n;
        this.data = new double[Math.multiplyExact(count, stride)];
        this.logDet = new double[count];
    }

    public int count() {
        return count;
    }

    public int n() {
        return n;
    }

    public Covariance kind() {
        return kind;
    }

    /** Doubles per entity: n(n+1)/2 (full, packed) or n (diagonal). */
    public int stride() {
        return stride;
    }

    /** Backing array; entity e starts at {@code e * stride()}. */
    public double[] data() {
        return data;
    }

    /** {@code log det S_e}; 0 for an entity not solved yet (its S is zero). */
    public double logDet(int e) {
        return logDet[e];
    }

    void setLogDet(int e, double v) {
        logDet[e] = v;
    }

    /** {@code (S_e)_kk}: the variance of coordinate k (k = D is the bias). */
    public double variance(int e, int k) {
        return kind == Covariance.FULL ? data[e * stride + PackedGram.index(n, k, k)] : data[e * stride + k];
    }

    /** Mean variance of the D factor coordinates, {@code tr(S_e,VV) / D} (0 at D = 0). */
    public double meanFactorVariance(int e) {
        int d = n - 1;
        if (d == 0) {
            return 0;
        }
        double s = 0;
        for (int k = 0; k < d; k++) {
            s += variance(e, k);
        }
        return s / d;
    }

    /** Copies S_e into {@code out} as a packed upper triangle (n(n+1)/2 doubles; zeros off a diagonal S). */
    public void packed(int e, double[] out) {
        if (kind == Covariance.FULL) {
            System.arraycopy(data, e * stride, out, 0, stride);
            return;
        }
        java.util.Arrays.fill(out, 0, PackedGram.size(n), 0.0);
        for (int k = 0; k < n; k++) {
            out[PackedGram.index(n, k, k)] = data[e * stride + k];
        }
    }

    /** Sets S_e from a packed upper triangle (for a diagonal q only its diagonal is kept). */
    public void setPacked(int e, double[] packed, double logDetValue) {
        if (kind == Covariance.FULL) {
            System.arraycopy(packed, 0, data, e * stride, stride);
        } else {
            for (int k = 0; k < n; k++) {
                data[e * stride + k] = packed[PackedGram.index(n, k, k)];
            }
        }
        logDet[e] = logDetValue;
    }

    /** {@code sum += S_e} in this side's layout ({@link #stride()} doubles). */
    public void accumulate(int e, double[] sum) {
        int off = e * stride;
        for (int k = 0; k < stride; k++) {
            sum[k] += data[off + k];
        }
    }

    /**
     * With {@code sum = Σ_j T_j} in this side's layout: {@code G += pad(sum_VV)}, {@code h −= pad(sum_Vb)}
     * (G packed over n coordinates, h n doubles).
     */
    public void applyPadded(double[] sum, double[] g, double[] h) {
        int d = n - 1;
        if (kind == Covariance.DIAGONAL) {
            for (int a = 0; a < d; a++) {
                g[PackedGram.index(n, a, a)] += sum[a];
            }
            return;
        }
        for (int a = 0; a < d; a++) {
            int row = PackedGram.index(n, a, a) - a;
            for (int b = a; b < d; b++) {
                g[row + b] += sum[row + b];
            }
            h[a] -= sum[row + d];
        }
    }

    /**
     * {@code zᵀ S_e z} for {@code z = [v; 1]}, v the D floats at {@code v[off ..]}: the variance that
     * entity e's uncertainty adds to {@code zᵀ θ_e}.
     */
    public double quadratic(int e, float[] v, int off) {
        int base = e * stride;
        int d = n - 1;
        double s = 0;
        if (kind == Covariance.DIAGONAL) {
            for (int k = 0; k < d; k++) {
                double x = v[off + k];
                s += data[base + k] * x * x;
            }
            return s + data[base + d];
        }
        int p = base;
        for (int a = 0; a < n; a++) {
            double za = a == d ? 1.0 : v[off + a];
            s += data[p] * za * za;
            double t = 0;
            for (int b = a + 1; b < n; b++) {
                t += data[p + b - a] * (b == d ? 1.0 : v[off + b]);
            }
            s += 2 * za * t;
            p += n - a;
        }
        return s;
    }

    /**
     * {@code tr(S_e,VV T_f,VV)} over the D factor coordinates, T from {@code other} (same n and kind):
     * the variance of {@code U·V} left when both means are zero.
     */
    public double traceFactorProduct(int e, Posterior other, int f) {
        int d = n - 1;
        int pe = e * stride;
        int pf = f * other.stride;
        double s = 0;
        if (kind == Covariance.DIAGONAL) {
            for (int k = 0; k < d; k++) {
                s += data[pe + k] * other.data[pf + k];
            }
            return s;
        }
        int p = 0;
        for (int a = 0; a < d; a++) {
            s += data[pe + p] * other.data[pf + p];
            double t = 0;
            for (int b = a + 1; b < d; b++) {
                t += data[pe + p + b - a] * other.data[pf + p + b - a];
            }
            s += 2 * t;
            p += n - a;
        }
        return s;
    }

    public Posterior copy() {
        Posterior c = new Posterior(count, n, kind);
        System.arraycopy(data, 0, c.data, 0, data.length);
        System.arraycopy(logDet, 0, c.logDet, 0, logDet.length);
        return c;
    }
}

package io.foldin.model;

/**
 * Approximate solve of one entity's system {@code A z = c} by a few conjugate-gradient steps
 * warm-started from its current factors, without forming the Gram matrix: with
 * {@code y_k = [V_k; 1]}, {@code t_k = r_k − μ − b_k},
 * {@code A z = λ Σ_k y_k (y_k·z) + diag(τ,…,τ,γ) z} and {@code c = λ Σ_k t_k y_k + τ [m; 0]}.
 * One step costs two passes of 2n flops per rating instead of the n²/2 of forming G, and each step
 * lowers the entity's quadratic loss, so sweeps still never increase the objective.
 * Workspace reused across calls; one instance per thread.
 */
public final class ConjugateGradient {
    private final AlsParams params;
    private final int steps;
    private final int n;
    private final double[] prior;
    private final double[] x;
    private final double[] r;
    private final double[] p;
    private final double[] ap;

    public ConjugateGradient(AlsParams params, int steps) {
        if (steps < 1) {
            throw new IllegalArgumentException("cg steps must be >= 1, got " + steps);
        }
        this.params = params;
        this.steps = steps;
        this.n = params.dim();
        this.prior = params.priorDiagonal();
        this.x = new double[n];
        this.r = new double[n];
        this.p = new double[n];
        this.ap = new double[n];
    }

    /**
     * Improves {@code self[selfOff .. selfOff+n)} in place.
     *
     * @param cols indices into {@code other} of the rated entities, {@code [from, to)}
     * @param priorMean D floats at {@code priorMean[pmOff ..]}, or null for zero
     * @return false when the system is not positive definite along a search direction
     */
    public boolean solve(int[] cols, float[] vals, int from, int to, float[] other, int stride, double mu,
                         float[] priorMean, int pmOff, float[] self, int selfOff) {
        int d = n - 1;
        double lambda = params.lambda();
        for (int a = 0; a < n; a++) {
            x[a] = self[selfOff + a];
            r[a] = -prior[a] * x[a];
        }
        if (priorMean != null) {
            for (int a = 0; a < d; a++) {
                r[a] += params.tau() * priorMean[pmOff + a];
            }
        }
        // r = c − A x = λ Σ y_k (t_k − y_k·x) + τ[m;0] − P x
        for (int k = from; k < to; k++) {
            int off = cols[k] * stride;
            double e = vals[k] - mu - other[off + d] - dotY(other, off, x, d);
            axpyY(lambda * e, other, off, r, d);
        }
        System.arraycopy(r, 0, p, 0, n);
        double rs = dot(r, r);
        for (int step = 0; step < steps && rs > 1e-20; step++) {
            for (int a = 0; a < n; a++) {
                ap[a] = prior[a] * p[a];
            }
            for (int k = from; k < to; k++) {
                int off = cols[k] * stride;
                axpyY(lambda * dotY(other, off, p, d), other, off, ap, d);
            }
            double pap = dot(p, ap);
            if (!(pap > 0) || Double.isInfinite(pap)) {
                return false;
            }
            double alpha = rs / pap;
            for (int a = 0; a < n; a++) {
                x[a] += alpha * p[a];
                r[a] -= alpha * ap[a];
            }
            double next = dot(r, r);
            double beta = next / rs;
            for (int a = 0; a < n; a++) {
                p[a] = r[a] + beta * p[a];
            }
            rs = next;
        }
        for (int a = 0; a < n; a++) {
            self[selfOff + a] = (float) x[a];
        }
        return true;
    }

    /** {@code [v; 1]·z} for v = D floats at {@code v[off ..]}. */
    private static double dotY(float[] v, int off, double[] z, int d) {
        double s0 = z[d];
        double s1 = 0;
        int a = 0;
        for (; a + 1 < d; a += 2) {
            s0 += v[off + a] * z[a];
            s1 += v[off + a + 1] * z[a + 1];
        }
        if (a < d) {
            s0 += v[off + a] * z[a];
        }
        return s0 + s1;
    }

    /** {@code out += w [v; 1]}. */
    private static void axpyY(double w, float[] v, int off, double[] out, int d) {
        for (int a = 0; a < d; a++) {
            out[a] += w * v[off + a];
        }
        out[d] += w;
    }

    private double dot(double[] u, double[] v) {
        double s = 0;
        for (int a = 0; a < n; a++) {
            s += u[a] * v[a];
        }
        return s;
    }
}

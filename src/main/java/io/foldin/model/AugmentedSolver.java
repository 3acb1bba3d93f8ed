package io.foldin.model;

/**
 * The joint vector + bias solve of one entity, with a reusable workspace (one instance per thread).
 *
 * <p>With the other side fixed and {@code y_j = [V_j; 1]}, {@code x_j = r_j − μ − b_j}:
 * {@code A = λ G + diag(τ,…,τ,γ)}, {@code c = λ h + τ [m; 0]}, {@code [x; b] = A⁻¹ c}, where
 * {@code G = Σ y_j y_jᵀ} (packed), {@code h = Σ x_j y_j} and m is the prior mean of the vector
 * (zero, or the genre prior mean of an item).
 */
public final class AugmentedSolver {
    private final AlsParams params;
    private final int n;
    private final double[] prior;
    private final double[] a;
    private final double[] c;
    private final double[] v;

    public AugmentedSolver(AlsParams params) {
        this.params = params;
        this.n = params.dim();
        this.prior = params.priorDiagonal();
        this.a = new double[n * n];
        this.c = new double[n];
        this.v = new double[n];
    }

    public AlsParams params() {
        return params;
    }

    /**
     * Solves for one entity and writes {@code [x; b]} as floats to {@code out[outOff ..]}.
     *
     * @param priorMean D floats at {@code priorMean[pmOff ..]}, or null for a zero prior mean
     * @return false when the system is not positive definite (out is left untouched)
     */
    public boolean solve(double[] g, double[] h, float[] priorMean, int pmOff, float[] out, int outOff) {
        if (!factorAndSolve(g, h, priorMean, pmOff)) {
            return false;
        }
        for (int k = 0; k < n; k++) {
            out[outOff + k] = (float) c[k];
        }
        return true;
    }

    /**
     * Like {@link #solve} and also writes the diagonal of the posterior covariance {@code A⁻¹} to
     * {@code variance[0 .. n)}.
     */
    public boolean solveWithVariance(double[] g, double[] h, float[] priorMean, int pmOff, float[] out,
                                     int outOff, double[] variance) {
        if (!solve(g, h, priorMean, pmOff, out, outOff)) {
            return false;
        }
        Cholesky.inverseDiagonal(a, n, variance, c);
        return true;
    }

    /**
     * The diagonal of the posterior covariance {@code A⁻¹ = (λ G + diag(τ,…,τ,γ))⁻¹} (the other side fixed) as
     * floats into {@code out[0 .. n)}, without solving; false (out untouched) when A is not positive definite.
     */
    public boolean posteriorVariance(double[] g, float[] out) {
        PackedGram.expand(g, n, params.lambda(), prior, a);
        if (!Cholesky.factor(a, n)) {
            return false;
        }
        Cholesky.inverseDiagonal(a, n, v, c);
        for (int k = 0; k < n; k++) {
            out[k] = (float) v[k];
        }
        return true;
    }

    /**
     * {@link #solve} and, from the same factorisation, the diagonal of {@code A⁻¹} as floats into
     * {@code variance[0 .. n)}: one Cholesky for both (the item side publishes factor and variances together).
     */
    public boolean solveWithVariance(double[] g, double[] h, float[] priorMean, int pmOff, float[] out, int outOff,
                                     float[] variance) {
        if (!solveWithVariance(g, h, priorMean, pmOff, out, outOff, v)) {
            return false;
        }
        for (int k = 0; k < n; k++) {
            variance[k] = (float) v[k];
        }
        return true;
    }

    private boolean factorAndSolve(double[] g, double[] h, float[] priorMean, int pmOff) {
        double lambda = params.lambda();
        PackedGram.expand(g, n, lambda, prior, a);
        for (int k = 0; k < n; k++) {
            c[k] = lambda * h[k];
        }
        if (priorMean != null) {
            double tau = params.tau();
            for (int k = 0; k < n - 1; k++) {
                c[k] += tau * priorMean[pmOff + k];
            }
        }
        if (!Cholesky.factor(a, n)) {
            return false;
        }
        Cholesky.solve(a, n, c);
        return true;
    }
}

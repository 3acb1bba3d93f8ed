package io.foldin.model;

/**
 * One entity's variational update, with a reusable workspace (one instance per thread).
 *
 * <p>Given the expected statistics G and h of the entity (its ratings' other-side means and covariances,
 * {@link Posterior}), the ELBO as a function of {@code q(θ) = N(a, S)} is, up to terms without q,
 * {@code −λ/2 (aᵀGa − 2hᵀa + tr(G S)) − ½ ((a − m)ᵀ P (a − m) + tr(P S)) + ½ log det S} with
 * {@code P = diag(τ, …, τ, γ)}. With {@code A = λ G + P} and {@code c = λ h + P [m; 0]} its maximiser is
 * {@code a = A⁻¹ c} (the MAP solve of {@link AugmentedSolver} on expected statistics) and
 * {@code S = A⁻¹} (full); restricted to a diagonal S, {@code s_k = 1 / A_kk}. The same Cholesky
 * {@code A = L Lᵀ} gives a, {@code log det S = −2 Σ log L_jj} and (full) {@code A⁻¹ = L⁻ᵀ L⁻¹}
 * ({@link Cholesky#inversePacked}).
 */
public final class VariationalSolver {
    private final AlsParams params;
    private final int n;
    private final double[] prior;
    private final double[] a;
    private final double[] c;
    private final double[] w;
    private final double[] packed;
    private final double[] diag;

    public VariationalSolver(AlsParams params) {
        this.params = params;
        this.n = params.dim();
        this.prior = params.priorDiagonal();
        this.a = new double[n * n];
        this.c = new double[n];
        this.w = new double[n * n];
        this.packed = new double[PackedGram.size(n)];
        this.diag = new double[n];
    }

    /**
     * Writes the mean {@code [x; b]} as floats to {@code out[outOff ..]} and S to entity e of {@code post}.
     *
     * @param priorMean D floats at {@code priorMean[pmOff ..]}, or null for a zero prior mean
     * @return false when A is not positive definite (nothing written)
     */
    public boolean solve(double[] g, double[] h, float[] priorMean, int pmOff, float[] out, int outOff,
                         Posterior post, int e) {
        double lambda = params.lambda();
        PackedGram.expand(g, n, lambda, prior, a);
        for (int k = 0; k < n; k++) {
            c[k] = lambda * h[k];
            diag[k] = a[k * n + k];
        }
        if (priorMean != null) {
            for (int k = 0; k < n - 1; k++) {
                c[k] += params.tau() * priorMean[pmOff + k];
            }
        }
        if (!Cholesky.factor(a, n)) {
            return false;
        }
        Cholesky.solve(a, n, c);
        for (int k = 0; k < n; k++) {
            out[outOff + k] = (float) c[k];
        }
        if (post.kind() == Posterior.Covariance.FULL) {
            Cholesky.inversePacked(a, n, packed, w);
            post.setPacked(e, packed, -Cholesky.logDet(a, n));
        } else {
            java.util.Arrays.fill(packed, 0.0);
            double logDet = 0;
            for (int k = 0; k < n; k++) {
                packed[PackedGram.index(n, k, k)] = 1.0 / diag[k];
                logDet -= Math.log(diag[k]);
            }
            post.setPacked(e, packed, logDet);
        }
        return true;
    }
}

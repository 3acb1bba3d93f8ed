package io.foldin.serve.rank;

import io.foldin.model.AlsParams;
import io.foldin.model.Cholesky;
import io.foldin.model.PackedGram;

/**
 * Uncertainty of a predicted rating from the user's posterior with the item side fixed. The
 * posterior precision of {@code [U_u; b_u]} is {@code A = λ G_u + diag(τ,…,τ,γ)}, so the predicted
 * mean {@code r̂ = μ + b_i + y_iᵀ [U_u; b_u]} with {@code y_i = [V_i; 1]} has variance
 * {@code y_iᵀ A⁻¹ y_i = ‖L⁻¹ y_i‖²} for {@code A = L Lᵀ} (one forward substitution). A new
 * rating adds the noise variance {@code 1/λ}. Holds a workspace: one instance per thread.
 */
public final class PredictionVariance {
    private final AlsParams params;
    private final int n;
    private final double[] prior;
    private final double[] a;
    private final double[] z;

    public PredictionVariance(AlsParams params) {
        this.params = params;
        this.n = params.dim();
        this.prior = params.priorDiagonal();
        this.a = new double[n * n];
        this.z = new double[n];
    }

    /**
     * @param gram the user's packed {@code G} (n(n+1)/2 doubles)
     * @param item {@code [V_i; b_i]}; only V is read, the trailing 1 of y is implied
     * @return {@code y_iᵀ A⁻¹ y_i}, or NaN when A is not positive definite
     */
    public double meanVariance(double[] gram, float[] item) {
        PackedGram.expand(gram, n, params.lambda(), prior, a);
        if (!Cholesky.factor(a, n)) {
            return Double.NaN;
        }
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double t = i == n - 1 ? 1.0 : item[i];
            int ri = i * n;
            for (int k = 0; k < i; k++) {
                t -= a[ri + k] * z[k];
            }
            z[i] = t / a[ri + i];
            sum += z[i] * z[i];
        }
        return sum;
    }

    /** Variance of a new rating: the mean's variance plus the noise variance 1/λ. */
    public double ratingVariance(double meanVariance) {
        return meanVariance + 1.0 / params.lambda();
    }
}

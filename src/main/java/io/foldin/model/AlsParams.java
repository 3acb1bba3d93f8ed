package io.foldin.model;

/**
 * Hyper-parameters of the MAP loss
 * {@code λ/2 Σ (r_ui − r̂_ui)² + τ/2 (Σ‖U_u‖² + Σ‖V_i‖²) + γ/2 (Σ b_u² + Σ b_i²)}.
 * λ is the noise precision, τ the factor prior precision, γ the bias prior precision; only τ/λ and
 * γ/λ change the MAP solution. {@code factors = 0} is the bias-only model.
 */
public record AlsParams(int factors, double lambda, double tau, double gamma) {
    /** Defaults measured on ml-latest-small (random 90/10 split): test RMSE ≈ 0.84. */
    public static final AlsParams DEFAULT = new AlsParams(20, 1.0, 15.0, 3.0);

    public AlsParams {
        if (factors < 0 || factors > 1024) {
            throw new IllegalArgumentException("factors must be in [0, 1024], got " + factors);
        }
        if (!(lambda > 0) || Double.isInfinite(lambda)) {
            throw new IllegalArgumentException("lambda must be positive and finite, got " + lambda);
        }
        if (!(tau >= 0) || Double.isInfinite(tau)) {
            throw new IllegalArgumentException("tau must be >= 0 and finite, got " + tau);
        }
        if (!(gamma >= 0) || Double.isInfinite(gamma)) {
            throw new IllegalArgumentException("gamma must be >= 0 and finite, got " + gamma);
        }
    }

    /** Dimension of the augmented system {@code [vector; bias]}. */
    public int dim() {
        return factors + 1;
    }

    /** Prior precisions {@code diag(τ, …, τ, γ)} of the augmented system. */
    public double[] priorDiagonal() {
        double[] p = new double[dim()];
        java.util.Arrays.fill(p, 0, factors, tau);
        p[factors] = gamma;
        return p;
    }

    public AlsParams withFactors(int d) {
        return new AlsParams(d, lambda, tau, gamma);
    }
}

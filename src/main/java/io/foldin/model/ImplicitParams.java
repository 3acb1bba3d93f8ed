package io.foldin.model;

/**
 * Hyper-parameters of implicit ALS (Hu, Koren, Volinsky 2008): the weighted loss
 * {@code Σ_u Σ_i c_ui (p_ui − x_uᵀ y_i)² + λ (Σ_u ‖x_u‖² + Σ_i ‖y_i‖²)} over every (user, item) pair,
 * with preference {@code p_ui = 1} where u interacted with i (weight {@code w_ui > 0}) and 0 elsewhere,
 * and confidence {@code c_ui = 1 + α w_ui} (1 on the unobserved pairs).
 */
public record ImplicitParams(int factors, double alpha, double lambda) {
    /** Chosen on a validation split of ml-latest-small's training part, ratings ≥ 4 as positives (load-tests/RESULTS.md, "Implicit ALS"). */
    public static final ImplicitParams DEFAULT = new ImplicitParams(32, 10.0, 60.0);

    public ImplicitParams {
        if (factors < 1 || factors > 1024) {
            throw new IllegalArgumentException("implicit factors must be in [1, 1024], got " + factors);
        }
        if (!(alpha >= 0) || Double.isInfinite(alpha)) {
            throw new IllegalArgumentException("implicit alpha must be >= 0 and finite, got " + alpha);
        }
        if (!(lambda > 0) || Double.isInfinite(lambda)) {
            throw new IllegalArgumentException("implicit lambda must be positive and finite, got " + lambda);
        }
    }

    /** Confidence {@code c = 1 + α w} of a pair with accumulated weight w. */
    public double confidence(double w) {
        return 1 + alpha * w;
    }
}

package io.foldin.model;

/**
 * A biased factor model with a Gaussian posterior per entity (seed 003 §17, with biases and, optionally, full
 * covariances): {@code q(θ_u) = N([U_u; b_u], S_u)}, {@code q(ψ_i) = N([V_i; b_i], T_i)}, all independent.
 * The means are {@link #means()} (so {@code r̂_ui = μ + b_u + b_i + U_u·V_i}, the mean prediction, is
 * {@link FactorModel#predict}); the covariances are {@link #users()} and {@link #items()}.
 *
 * <p>The prediction's variance under q (§1.7 of docs/design.md, now with both sides uncertain):
 * {@code var(r̂_ui) = y_iᵀ S_u y_i + z_uᵀ T_i z_u + tr(S_u,VV T_i,VV)} with {@code y_i = [V_i; 1]},
 * {@code z_u = [U_u; 1]} ({@link #predictionVariance}).
 */
public final class VariationalModel {
    private final FactorModel means;
    private final Posterior users;
    private final Posterior items;
    private AlsParams params;

    public VariationalModel(FactorModel means, Posterior users, Posterior items) {
        if (users.count() != means.users().count() || items.count() != means.items().count()
                || users.n() != means.params().dim() || items.n() != means.params().dim()) {
            throw new IllegalArgumentException("posterior shapes do not match the model");
        }
        this.means = means;
        this.users = users;
        this.items = items;
        this.params = means.params();
    }

    /** A fresh model: {@link FactorModel#initial} means (no genre prior), zero covariances. */
    public static VariationalModel initial(AlsParams params, double mu, float minRating, float maxRating,
                                           int numUsers, int numItems, Posterior.Covariance kind, long seed) {
        FactorModel m = FactorModel.initial(params, mu, minRating, maxRating, numUsers, numItems, null, seed);
        return new VariationalModel(m, new Posterior(numUsers, params.dim(), kind),
                new Posterior(numItems, params.dim(), kind));
    }

    public FactorModel means() {
        return means;
    }

    public Posterior users() {
        return users;
    }

    public Posterior items() {
        return items;
    }

    /** The precisions in use: the model's own, or those variational EM learned. */
    public AlsParams params() {
        return params;
    }

    void setParams(AlsParams p) {
        this.params = p;
    }

    /** Variance of the mean prediction {@code μ + b_u + b_i + U_u·V_i} under q (not clipped). */
    public double predictionVariance(int u, int i) {
        Factors uf = means.users();
        Factors vf = means.items();
        return users.quadratic(u, vf.data(), vf.offset(i)) + items.quadratic(i, uf.data(), uf.offset(u))
                + users.traceFactorProduct(u, items, i);
    }

    public VariationalModel copy() {
        VariationalModel c = new VariationalModel(means.copy(), users.copy(), items.copy());
        c.params = params;
        return c;
    }
}

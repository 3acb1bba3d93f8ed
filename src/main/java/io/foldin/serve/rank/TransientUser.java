package io.foldin.serve.rank;

import io.foldin.model.AlsParams;
import io.foldin.model.AugmentedSolver;
import io.foldin.model.SufficientStats;

/**
 * Fold-in of an anonymous user from a handful of ratings, with the item side fixed and nothing
 * stored: with {@code y_i = [V_i; 1]} and {@code x_i = r_i − μ − b_i},
 * {@code [U; b] = (λ Σ y_i y_iᵀ + diag(τ,…,τ,γ))⁻¹ λ Σ x_i y_i} (docs/design.md §1.2), the same
 * solve as a known user's fold-in. Holds a workspace: one instance per thread.
 */
public final class TransientUser {
    private final int d;
    private final AugmentedSolver solver;
    private final SufficientStats stats;
    private final double[] tmp;

    public TransientUser(AlsParams params) {
        this.d = params.factors();
        this.solver = new AugmentedSolver(params);
        this.stats = new SufficientStats(d);
        this.tmp = new double[d + 1];
    }

    /**
     * @param items   n item rows {@code [V_i; b_i]}, stride D+1, in {@code items[0 .. n(D+1))}
     * @param ratings the n ratings
     * @param out     receives {@code [U; b]} (D+1 floats)
     * @return false when the system was not positive definite (out untouched)
     */
    public boolean solve(float[] items, float[] ratings, int n, double mu, float[] out) {
        stats.clear();
        int stride = d + 1;
        for (int i = 0; i < n; i++) {
            int off = i * stride;
            stats.add(items, off, ratings[i] - mu - items[off + d], tmp);
        }
        return stats.solve(solver, null, 0, out, 0);
    }

    /** The packed G of the last {@link #solve}, {@code Σ y_i y_iᵀ}: the user's posterior precision is λG + prior. */
    public double[] gram() {
        return stats.gram();
    }
}

package io.foldin.model;

import io.foldin.data.RatingMatrix;

/**
 * Online fold-in over in-memory sufficient statistics: each event (u, i, r) updates user u's
 * statistics with item i's current {@code y_i = [V_i; 1]} and re-solves u, then updates item i's with
 * the new {@code y_u = [U_u; 1]} and re-solves i (docs/design.md §1.4). A re-rating moves only the
 * targets, {@code h += (r_new − r_old) y}. The statistics drift as the other side's factors move; {@link
 * #rebuild} recomputes them from stored ratings with the current factors, as after a sweep.
 *
 * <p>The same two steps run in the stream processors, there over RocksDB-backed statistics.
 */
public final class FoldIn {
    private final FactorModel model;
    private final AugmentedSolver solver;
    private final SufficientStats[] users;
    private final SufficientStats[] items;
    private final double[] tmp;
    private final float[] mean;

    public FoldIn(FactorModel model) {
        this.model = model;
        this.solver = new AugmentedSolver(model.params());
        this.users = new SufficientStats[model.users().count()];
        this.items = new SufficientStats[model.items().count()];
        this.tmp = new double[model.params().dim()];
        this.mean = new float[model.params().factors()];
    }

    /** Recomputes every entity's statistics from {@code ratings} with the current factors. */
    public void rebuild(RatingMatrix ratings) {
        rebuildSide(ratings.byUser(), users, model.items());
        rebuildSide(ratings.byItem(), items, model.users());
    }

    private void rebuildSide(RatingMatrix.Csr rows, SufficientStats[] stats, Factors other) {
        float[] od = other.data();
        int bias = other.dim();
        for (int r = 0; r < stats.length; r++) {
            if (r >= rows.rows() || rows.start()[r] == rows.start()[r + 1]) {
                stats[r] = null;
                continue;
            }
            SufficientStats s = stats(stats, r);
            s.clear();
            for (int k = rows.start()[r]; k < rows.start()[r + 1]; k++) {
                int off = other.offset(rows.cols()[k]);
                s.add(od, off, rows.values()[k] - model.mu() - od[off + bias], tmp);
            }
        }
    }

    /**
     * Folds in a new rating, or a re-rating when {@code previous} is not NaN.
     *
     * @throws NotPositiveDefiniteException if a system cannot be factored (τ or γ is 0)
     */
    public void apply(int u, int i, float rating, float previous) {
        Factors uf = model.users();
        Factors vf = model.items();
        SufficientStats su = stats(users, u);
        SufficientStats si = stats(items, i);
        su.change(vf.data(), vf.offset(i), rating, previous, model.mu() + vf.bias(i), tmp);
        if (!su.solve(solver, null, 0, uf.data(), uf.offset(u))) {
            throw new NotPositiveDefiniteException("user", u, model.params());
        }
        si.change(uf.data(), uf.offset(u), rating, previous, model.mu() + uf.bias(u), tmp);
        GenrePrior prior = model.genrePrior();
        float[] m = prior == null ? null : prior.meanIfAny(i, mean);
        if (!si.solve(solver, m, 0, vf.data(), vf.offset(i))) {
            throw new NotPositiveDefiniteException("item", i, model.params());
        }
    }

    private SufficientStats stats(SufficientStats[] side, int e) {
        SufficientStats s = side[e];
        if (s == null) {
            s = new SufficientStats(model.params().factors());
            side[e] = s;
        }
        return s;
    }
}

package io.foldin.model;

import io.foldin.data.RatingMatrix;

/**
 * Online fold-in for the {@link VariationalModel}: each entity keeps its <em>expected</em> statistics
 * {@code G = Σ_j (y_j y_jᵀ + pad(T_j,VV))}, {@code h = Σ_j (x_j y_j − pad(T_j,Vb))} ({@link VariationalTrainer}),
 * and a rating (u, i, r) adds one term to each side, as {@link FoldIn} does for the MAP statistics:
 * user u's with item i's current q (mean and covariance), then u's q is re-solved (mean and covariance);
 * item i's with u's new q, then i's q is re-solved. A re-rating moves only h, {@code h += (r − r₀) y}.
 * With the other side's q unchanged since the statistics were formed, the result is the variational update
 * from scratch over the same ratings ({@code VariationalFoldInTest}); as with MAP, the statistics drift
 * as the other side moves, and {@link #rebuild} (a sweep) sets them back.
 */
public final class VariationalFoldIn {
    private final VariationalModel model;
    private final VariationalSolver solver;
    private final int n;
    private final double[][] userG;
    private final double[][] userH;
    private final double[][] itemG;
    private final double[][] itemH;
    private final double[] y;

    public VariationalFoldIn(VariationalModel model) {
        this.model = model;
        this.solver = new VariationalSolver(model.params());
        this.n = model.params().dim();
        this.userG = new double[model.users().count()][];
        this.userH = new double[model.users().count()][];
        this.itemG = new double[model.items().count()][];
        this.itemH = new double[model.items().count()][];
        this.y = new double[n];
    }

    /** Recomputes every entity's expected statistics from {@code ratings} with the current q of the other side. */
    public void rebuild(RatingMatrix ratings) {
        rebuildSide(ratings.byUser(), userG, userH, model.means().items(), model.items());
        rebuildSide(ratings.byItem(), itemG, itemH, model.means().users(), model.users());
    }

    private void rebuildSide(RatingMatrix.Csr rows, double[][] gs, double[][] hs, Factors other,
                             Posterior otherPost) {
        RowGram gram = new ScalarRowGram(n);
        double[] sum = new double[otherPost.stride()];
        for (int r = 0; r < gs.length; r++) {
            gs[r] = new double[PackedGram.size(n)];
            hs[r] = new double[n];
            if (r < rows.rows()) {
                VariationalTrainer.formExpected(gram, rows.cols(), rows.values(), rows.start()[r], rows.start()[r + 1],
                        other, otherPost, model.means().mu(), gs[r], hs[r], sum);
            }
        }
    }

    /** The expected G of user u (packed), for tests and the variance of its predictions. */
    public double[] userGram(int u) {
        return userG[u];
    }

    /**
     * Folds in a new rating, or a re-rating when {@code previous} is not NaN.
     *
     * @throws NotPositiveDefiniteException if a system cannot be factored
     */
    public void apply(int u, int i, float rating, float previous) {
        FactorModel m = model.means();
        Factors uf = m.users();
        Factors vf = m.items();
        add(userG[u], userH[u], vf, model.items(), i, rating, previous, m.mu());
        if (!solver.solve(userG[u], userH[u], null, 0, uf.data(), uf.offset(u), model.users(), u)) {
            throw new NotPositiveDefiniteException("user", u, model.params());
        }
        add(itemG[i], itemH[i], uf, model.users(), u, rating, previous, m.mu());
        if (!solver.solve(itemG[i], itemH[i], null, 0, vf.data(), vf.offset(i), model.items(), i)) {
            throw new NotPositiveDefiniteException("item", i, model.params());
        }
    }

    /** One rating's term against entity j of the other side: mean {@code [w_j; 1]}, bias b_j, covariance T_j. */
    private void add(double[] g, double[] h, Factors other, Posterior otherPost, int j, float rating, float previous,
                     double mu) {
        int off = other.offset(j);
        int d = n - 1;
        for (int a = 0; a < d; a++) {
            y[a] = other.data()[off + a];
        }
        y[d] = 1.0;
        if (!Float.isNaN(previous)) {
            for (int a = 0; a < n; a++) {
                h[a] += (rating - previous) * y[a];
            }
            return;
        }
        double x = rating - mu - other.bias(j);
        PackedGram.addOuter(g, n, y, 1.0);
        for (int a = 0; a < n; a++) {
            h[a] += x * y[a];
        }
        double[] sum = new double[otherPost.stride()];
        otherPost.accumulate(j, sum);
        otherPost.applyPadded(sum, g, h);
    }
}

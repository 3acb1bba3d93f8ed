package io.foldin.data.twin;

import java.util.Arrays;

/**
 * Item popularity: the target number of ratings of each item, and the sampling weights that
 * produce it.
 *
 * <p>Target: the item of popularity rank r (0-based) should get
 * {@code c_r = max(1, A (1 + r/r0)^(-α))} ratings with α = 2 and A = 0.51 U (ml-32m's top movie
 * was rated by about half its users: ≈ 102k of 201k), r0 set by bisection so that Σ c_r equals
 * the rating total. At scale 1 that gives r0 ≈ 313, a top item of ≈ 102.5k and a tail of ≈ 1.4
 * expected ratings, hence ≈ 31k items with ≤ 3 ratings, as ml-32m. At scale s, A ∝ s and the
 * rating total ∝ s leave r0 where it is, so the last of I items gets ≈ A r0² / I² ratings: with
 * {@link TwinConfig} scaling items by √s that stays ≈ 1.4 at every scale, and the share of items
 * with ≤ 3 ratings stays 37–38% (items ∝ s, as before, gave no item under ~140 ratings at s = 0.01).
 *
 * <p>Weights: users draw items by successive sampling (each next item ∝ w among those not yet
 * taken), under which heavy users exhaust the head and spill into the tail, so w ∝ c would give a
 * far flatter distribution than c. Rosén's approximation (1997) of successive sampling gives
 * user u the inclusion probability {@code π_ui = 1 − exp(−λ_u w_i)} with λ_u set by
 * {@code Σ_i π_ui = n_u}; alternating between solving every λ_u for fixed w and every w_i for
 * {@code Σ_u π_ui = c_i − 1} (the −1 is the forced first rating) calibrates w. Both sums run over
 * ≈ 256 log-spaced cells of users (by n_u) and of items (by rank), so calibration costs well
 * under a second at scale 1; log w is interpolated linearly between item cells.
 */
final class Popularity {
    static final double TOP_SHARE = 0.51;
    static final double ALPHA = 2.0;
    private static final int CELLS = 256;
    private static final int ROUNDS = 100;

    private Popularity() {
    }

    /** Target ratings per item in popularity rank order, summing to the rating total. */
    static double[] targetCounts(TwinConfig cfg) {
        int items = cfg.items();
        double a = TOP_SHARE * cfg.users();
        double lo = 1e-6;
        double hi = 1e12;
        double[] c = new double[items];
        for (int it = 0; it < 80 && hi / lo > 1 + 1e-12; it++) {
            double r0 = Math.sqrt(lo * hi);
            if (fill(c, a, r0) < cfg.ratings()) {
                lo = r0;
            } else {
                hi = r0;
            }
        }
        fill(c, a, lo);
        return c;
    }

    private static double fill(double[] c, double a, double r0) {
        double s = 0;
        for (int r = 0; r < c.length; r++) {
            c[r] = Math.max(1, a * StrictMath.pow(1 + r / r0, -ALPHA));
            s += c[r];
        }
        return s;
    }

    /**
     * Sampling weights per item (rank order) under which users with {@code perUser} ratings give
     * each item about {@code target} ratings, the forced one included.
     */
    static double[] samplerWeights(int[] perUser, double[] target) {
        int items = target.length;
        // item cells [bound[j], bound[j+1]), log-spaced in rank
        int[] bound = logCells(items);
        int g = bound.length - 1;
        double[] cellSize = new double[g];
        double[] cellRank = new double[g];
        double[] cellTarget = new double[g];
        for (int j = 0; j < g; j++) {
            cellSize[j] = bound[j + 1] - bound[j];
            cellRank[j] = 0.5 * (bound[j] + bound[j + 1] - 1);
            double t = 0;
            for (int r = bound[j]; r < bound[j + 1]; r++) {
                t += target[r];
            }
            // the forced rating covers one; keep a little weight so no item is unreachable
            cellTarget[j] = Math.max(0.01, t / cellSize[j] - 1);
        }
        // user cells: heaviest first and log-spaced, so the few heavy users (which decide how far
        // into the tail the ratings spill) get cells of their own; light users have near-equal counts
        int[] sorted = perUser.clone();
        Arrays.sort(sorted);
        for (int a = 0, z = sorted.length - 1; a < z; a++, z--) {
            int t = sorted[a];
            sorted[a] = sorted[z];
            sorted[z] = t;
        }
        int[] ub = logCells(sorted.length);
        int h = ub.length - 1;
        double[] users = new double[h];
        double[] ratings = new double[h];
        for (int b = 0; b < h; b++) {
            long s = 0;
            for (int q = ub[b]; q < ub[b + 1]; q++) {
                s += sorted[q];
            }
            users[b] = ub[b + 1] - ub[b];
            ratings[b] = (double) s / users[b];
        }

        double[] w = cellTarget.clone();
        double[] lambda = new double[h];
        for (int round = 0; round < ROUNDS; round++) {
            for (int b = 0; b < h; b++) {
                lambda[b] = solve(ratings[b], cellSize, w, lambda[b]);
            }
            double change = 0;
            for (int j = 0; j < g; j++) {
                double next = solve(cellTarget[j], users, lambda, w[j]);
                change = Math.max(change, Math.abs(next / w[j] - 1));
                w[j] = next;
            }
            if (change < 1e-9) {
                break;
            }
        }
        return interpolate(items, cellRank, w);
    }

    /**
     * x with Σ_j m_j (1 − exp(−x v_j)) = goal: Newton on y = ln x (the sum rises in y), kept inside
     * a shrinking bracket, starting from {@code guess} (the previous round's answer).
     */
    private static double solve(double goal, double[] m, double[] v, double guess) {
        double lo = -90;
        double hi = 90;
        double y = guess > 0 ? Math.max(lo, Math.min(hi, StrictMath.log(guess))) : 0;
        for (int it = 0; it < 200; it++) {
            double x = StrictMath.exp(y);
            double f = -goal;
            double df = 0;
            for (int j = 0; j < m.length; j++) {
                double e = StrictMath.exp(-x * v[j]);
                f += m[j] * (1 - e);
                df += m[j] * x * v[j] * e;
            }
            if (f < 0) {
                lo = y;
            } else {
                hi = y;
            }
            if (Math.abs(f) <= 1e-12 * goal || hi - lo < 1e-12) {
                break;
            }
            double next = df > 0 ? y - f / df : Double.NaN;
            y = next > lo && next < hi ? next : 0.5 * (lo + hi);
        }
        return StrictMath.exp(y);
    }

    /** Cell bounds 0 = b_0 < b_1 < ... < b_g = n, about {@link #CELLS} cells, log-spaced. */
    private static int[] logCells(int n) {
        int[] b = new int[CELLS + 2];
        int g = 0;
        double step = StrictMath.log(n + 1.0) / CELLS;
        for (int j = 1; j <= CELLS; j++) {
            int next = (int) Math.round(StrictMath.exp(j * step)) - 1;
            if (next > b[g] && next < n) {
                b[++g] = next;
            }
        }
        b[++g] = n;
        return Arrays.copyOf(b, g + 1);
    }

    /** Per-item weights: ln w linear in rank between cell centres, flat beyond the end cells. */
    private static double[] interpolate(int items, double[] rank, double[] w) {
        double[] out = new double[items];
        int j = 0;
        for (int r = 0; r < items; r++) {
            while (j + 1 < rank.length && rank[j + 1] <= r) {
                j++;
            }
            if (r <= rank[0]) {
                out[r] = w[0];
            } else if (j + 1 >= rank.length) {
                out[r] = w[rank.length - 1];
            } else {
                double f = (r - rank[j]) / (rank[j + 1] - rank[j]);
                out[r] = StrictMath.exp((1 - f) * StrictMath.log(w[j]) + f * StrictMath.log(w[j + 1]));
            }
        }
        return out;
    }
}

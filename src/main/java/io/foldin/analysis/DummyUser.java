package io.foldin.analysis;

import io.foldin.model.AugmentedSolver;
import io.foldin.model.PackedGram;

/**
 * The dummy user (seed 003 §14, Table 6): a new user who gives one item a rating, folded in against the
 * fixed items, then scored on every item by the seed's Listing 2.
 *
 * <p>Fold-in of one rating r of item j, with {@code y = [V_j; 1]} and {@code x = r − μ − b_j}: the user's
 * {@code [U; b_u] = A⁻¹ λ x y} with {@code A = λ y yᵀ + diag(τ, …, τ, γ)} ({@link AugmentedSolver}). Score of
 * item m: {@code U·V_m + 0.05 b_m} (personal score plus scaled popularity; b_u is the same for every item).
 */
public final class DummyUser {
    /** The weight of the item bias in the score (Listing 2). */
    public static final double POPULARITY_WEIGHT = 0.05;

    private DummyUser() {
    }

    /** @param user {@code [U; b_u]} of the dummy user */
    public record Result(float[] user, java.util.List<Ranked> top) {
    }

    /**
     * @param item index of the rated item in the model
     * @param minRatings only items with at least this many ratings are scored (the seed drops items under 100
     *     from its rankings: a vector fitted to one rating is noise)
     */
    public static Result of(ItemModel model, int item, float rating, int n, int minRatings) {
        int d = model.d();
        int dim = d + 1;
        double[] g = new double[PackedGram.size(dim)];
        double[] h = new double[dim];
        double x = rating - model.mu() - model.bias(item);
        PackedGram.addOuter(g, dim, model.rows(), model.offset(item), 1.0, new double[dim]);
        PackedGram.addScaled(h, dim, model.rows(), model.offset(item), x);
        float[] user = new float[dim];
        if (!new AugmentedSolver(model.params()).solve(g, h, null, 0, user, 0)) {
            throw new IllegalArgumentException("the dummy user's system is not positive definite: raise tau or gamma");
        }
        TopN top = new TopN(n);
        float[] rows = model.rows();
        for (int m = 0; m < model.size(); m++) {
            if (model.counts()[m] < minRatings && m != item) {
                continue;
            }
            double s = 0;
            int o = model.offset(m);
            for (int a = 0; a < d; a++) {
                s += (double) user[a] * rows[o + a];
            }
            top.offer(m, s + POPULARITY_WEIGHT * model.bias(m));
        }
        return new Result(user, top.ranked(model));
    }
}

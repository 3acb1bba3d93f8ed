package io.foldin.model;

import io.foldin.data.RatingMatrix;
import java.util.HashMap;
import java.util.Map;

/**
 * Per-event implicit-ALS fold-in over a model's factors, as the stream does it. Each entity keeps
 * {@code S = Σ α w y yᵀ} and {@code h = Σ (1 + α w) y} (see {@link ImplicitAls}); the shared Grams
 * {@code YᵀY} and {@code XᵀX} are kept exact by a rank-two update whenever a vector changes:
 * {@code G += v_new v_newᵀ − v_old v_oldᵀ}.
 *
 * <p>One interaction (u, i, w) raises the pair's weight from w₀ to w₀ + w:
 * {@code S_u += α w y_i y_iᵀ}, {@code h_u += (α w + [w₀ = 0]) y_i}, then {@code x_u} is re-solved
 * exactly against the current Y; the item side does the same with the new {@code x_u}. As in the
 * explicit fold-in, the statistics of other entities keep the vectors they were built with until the
 * next {@link #rebuild}; a user's own solve is the exact iALS row solve given Y (tested against it).
 */
public final class ImplicitFoldIn {
    private final ImplicitParams params;
    private final Factors users;
    private final Factors items;
    private final int d;
    private final double[][] userS;
    private final double[][] userH;
    private final double[][] itemS;
    private final double[][] itemH;
    private final Map<Long, Float> weights = new HashMap<>();
    private final ImplicitAls.Workspace ws;
    private final double[] tmp;
    private final float[] old;
    private double[] xtx;
    private double[] yty;

    public ImplicitFoldIn(ImplicitParams params, Factors users, Factors items) {
        this.params = params;
        this.users = users;
        this.items = items;
        this.d = params.factors();
        this.userS = new double[users.count()][];
        this.userH = new double[users.count()][];
        this.itemS = new double[items.count()][];
        this.itemH = new double[items.count()][];
        this.ws = new ImplicitAls.Workspace(d);
        this.tmp = new double[d];
        this.old = new float[d];
        this.xtx = ImplicitAls.gram(users, users.count());
        this.yty = ImplicitAls.gram(items, items.count());
    }

    /** Rebuilds every statistic and both Grams from the current factors and the given weights. */
    public void rebuild(RatingMatrix weightsMatrix) {
        java.util.Arrays.fill(userS, null);
        java.util.Arrays.fill(userH, null);
        java.util.Arrays.fill(itemS, null);
        java.util.Arrays.fill(itemH, null);
        weights.clear();
        RatingMatrix.Csr rows = weightsMatrix.byUser();
        for (int u = 0; u < Math.min(rows.rows(), users.count()); u++) {
            for (int k = rows.start()[u]; k < rows.start()[u + 1]; k++) {
                float w = rows.values()[k];
                int i = rows.cols()[k];
                if (w > 0) {
                    boolean fresh = weights.put(key(u, i), weight(u, i) + w) == null;
                    accumulateUser(u, i, w, fresh);
                    accumulateItem(u, i, w, fresh);
                }
            }
        }
        xtx = ImplicitAls.gram(users, users.count());
        yty = ImplicitAls.gram(items, items.count());
    }

    /** The accumulated weight of (u, i), 0 if none. */
    public float weight(int u, int i) {
        return weights.getOrDefault(key(u, i), 0f);
    }

    /** Folds in one interaction of weight {@code w > 0}: the user is re-solved, then the item with the new user. */
    public void apply(int u, int i, float w) {
        boolean fresh = foldInUser(u, i, w);
        foldInItem(u, i, w, fresh);
    }

    /**
     * The user side of one interaction: records the weight, adds it to u's statistics with the current
     * {@code y_i} and re-solves {@code x_u} against the current {@code YᵀY}. Returns whether the pair is new.
     */
    public boolean foldInUser(int u, int i, float w) {
        if (!(w > 0) || Float.isInfinite(w)) {
            throw new IllegalArgumentException("interaction weight must be positive and finite, got " + w);
        }
        boolean fresh = weights.put(key(u, i), weight(u, i) + w) == null;
        accumulateUser(u, i, w, fresh);
        resolve(users, u, userS[u], userH[u], yty, xtx);
        return fresh;
    }

    /** The item side: adds the interaction with the current {@code x_u} to i's statistics and re-solves {@code y_i}. */
    public void foldInItem(int u, int i, float w, boolean fresh) {
        accumulateItem(u, i, w, fresh);
        resolve(items, i, itemS[i], itemH[i], xtx, yty);
    }

    private void accumulateUser(int u, int i, float w, boolean fresh) {
        double aw = params.alpha() * w;
        if (userS[u] == null) {
            userS[u] = new double[PackedGram.size(d)];
            userH[u] = new double[d];
        }
        ImplicitAls.addOuter(userS[u], d, items.data(), items.offset(i), aw, tmp);
        // h gains (1 + α w) y for a new pair, α w y for more weight on a known one
        ImplicitAls.addScaled(userH[u], d, items.data(), items.offset(i), aw + (fresh ? 1 : 0));
    }

    private void accumulateItem(int u, int i, float w, boolean fresh) {
        double aw = params.alpha() * w;
        if (itemS[i] == null) {
            itemS[i] = new double[PackedGram.size(d)];
            itemH[i] = new double[d];
        }
        ImplicitAls.addOuter(itemS[i], d, users.data(), users.offset(u), aw, tmp);
        ImplicitAls.addScaled(itemH[i], d, users.data(), users.offset(u), aw + (fresh ? 1 : 0));
    }

    /** Re-solves entity e of {@code self} against {@code otherGram}; updates {@code selfGram} by the change. */
    private void resolve(Factors self, int e, double[] s, double[] h, double[] otherGram, double[] selfGram) {
        int off = self.offset(e);
        System.arraycopy(self.data(), off, old, 0, d);
        if (!ImplicitAls.solveStats(otherGram, s, h, params, self.data(), off, ws)) {
            throw new ArithmeticException("implicit fold-in not positive definite at entity " + e);
        }
        ImplicitAls.addOuter(selfGram, d, old, 0, -1.0, tmp);
        ImplicitAls.addOuter(selfGram, d, self.data(), off, 1.0, tmp);
    }

    /** The current {@code YᵀY} (packed), kept exact by rank-two updates. */
    public double[] itemGram() {
        return yty;
    }

    /** The current {@code XᵀX} (packed), kept exact by rank-two updates. */
    public double[] userGram() {
        return xtx;
    }

    private static long key(int u, int i) {
        return ((long) u << 32) | (i & 0xFFFF_FFFFL);
    }
}

package io.foldin.model;

/**
 * A trained implicit-ALS model: user vectors X, item vectors Y, score {@code s_ui = x_uᵀ y_i}
 * ({@link ImplicitAls} has the loss and the solves). A user with no interactions has {@code x_u = 0}
 * (the solve of an empty row), so every item scores 0 for it.
 */
public final class ImplicitAlsModel implements ImplicitScorer {
    /** Scale of the N(0, s²) start vectors: small, as the first user half-sweep overwrites X anyway. */
    static final double START_SCALE = 0.01;

    private final ImplicitParams params;
    private final Factors users;
    private final Factors items;

    public ImplicitAlsModel(ImplicitParams params, Factors users, Factors items) {
        if (users.dim() != params.factors() || items.dim() != params.factors()) {
            throw new IllegalArgumentException("factor vectors of dimension " + users.dim() + "/" + items.dim()
                    + " for a model of " + params.factors() + " factors");
        }
        this.params = params;
        this.users = users;
        this.items = items;
    }

    /** Start vectors seeded by {@code seed} (users and items apart), before the first sweep. */
    public static ImplicitAlsModel initial(ImplicitParams params, int numUsers, int numItems, long seed) {
        return new ImplicitAlsModel(params, Factors.random(numUsers, params.factors(), START_SCALE, seed),
                Factors.random(numItems, params.factors(), START_SCALE, seed ^ 0x9E37_79B9_7F4A_7C15L));
    }

    public ImplicitParams params() {
        return params;
    }

    public Factors userFactors() {
        return users;
    }

    public Factors itemFactors() {
        return items;
    }

    /** {@code YᵀY} of the current item vectors (packed), for {@link #foldInTransient}; O(items · D²). */
    public double[] itemGram() {
        return ImplicitAls.gram(items, items.count());
    }

    /**
     * The vector of a transient user (anonymous recommendations: nothing is stored) from a list of items and
     * their weights: the exact row solve {@code x = (YᵀY + λI + Σ α w y yᵀ)⁻¹ Σ (1 + α w) y} against the current
     * items, written as D floats to {@code out}. Each entry is one (user, item) pair, so a repeated item is refused:
     * its weights must be summed first (c = 1 + α Σw, not two confidences). {@code itemGram} is
     * {@link #itemGram()}, computed once per model version by the caller.
     *
     * @throws IllegalArgumentException for an item index outside the model, a repeated item, or a weight that is
     *                                  not positive and finite
     */
    public void foldInTransient(double[] itemGram, int[] itemIndexes, float[] weights, float[] out) {
        if (itemIndexes.length != weights.length) {
            throw new IllegalArgumentException(itemIndexes.length + " items but " + weights.length + " weights");
        }
        java.util.Set<Integer> distinct = new java.util.HashSet<>();
        for (int k = 0; k < itemIndexes.length; k++) {
            if (!distinct.add(itemIndexes[k])) {
                throw new IllegalArgumentException("item index " + itemIndexes[k] + " occurs twice: sum its weights");
            }
            if (itemIndexes[k] < 0 || itemIndexes[k] >= items.count()) {
                throw new IllegalArgumentException("item index " + itemIndexes[k] + " outside [0, " + items.count() + ")");
            }
            if (!(weights[k] > 0) || Float.isInfinite(weights[k])) {
                throw new IllegalArgumentException("weight " + weights[k] + " of item index " + itemIndexes[k]
                        + " is not positive and finite");
            }
        }
        if (!ImplicitAls.solveRow(itemGram, params, itemIndexes, weights, 0, itemIndexes.length, items, out, 0,
                new ImplicitAls.Workspace(params.factors()))) {
            throw new ArithmeticException("transient user's system not positive definite (lambda=" + params.lambda() + ")");
        }
    }

    public ImplicitAlsModel copy() {
        return new ImplicitAlsModel(params, users.copy(), items.copy());
    }

    @Override
    public int items() {
        return items.count();
    }

    @Override
    public void scores(int user, double[] out) {
        int n = items.count();
        if (user < 0 || user >= users.count()) {
            java.util.Arrays.fill(out, 0, n, 0.0);
            return;
        }
        scores(users.data(), users.offset(user), out);
    }

    /** {@code out[i] = xᵀ y_i} for a vector x of D floats at {@code x[off ..]} (a transient user's, too). */
    public void scores(float[] x, int off, double[] out) {
        int d = params.factors();
        float[] y = items.data();
        int stride = items.stride();
        for (int i = 0, o = 0; i < items.count(); i++, o += stride) {
            out[i] = score(x, off, y, o, d);
        }
    }

    /**
     * The one implicit-ALS score {@code s = xᵀ y} of D floats at {@code x[xOff ..]} and {@code y[yOff ..]}, in
     * double: offline evaluation and live serving ({@code io.foldin.serve.rank.ImplicitRanker}) both call it.
     */
    public static double score(float[] x, int xOff, float[] y, int yOff, int d) {
        double s = 0;
        for (int a = 0; a < d; a++) {
            s += x[xOff + a] * y[yOff + a];
        }
        return s;
    }
}

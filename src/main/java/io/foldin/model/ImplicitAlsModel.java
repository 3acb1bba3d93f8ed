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
            double s = 0;
            for (int a = 0; a < d; a++) {
                s += x[off + a] * y[o + a];
            }
            out[i] = s;
        }
    }
}

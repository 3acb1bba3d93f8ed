package io.foldin.model;

/**
 * A biased factor model {@code r̂_ui = μ + b_u + b_i + U_u·V_i}, clipped to the rating range.
 * Mutable factor arrays (sweeps overwrite them in place); μ and the range are fixed at training
 * start so that fold-in and sweeps centre ratings the same way.
 */
public final class FactorModel {
    /** Standard deviation of each entry of a fresh factor vector. */
    public static final double INIT_SCALE = 0.1;

    private final AlsParams params;
    private final double mu;
    private final float minRating;
    private final float maxRating;
    private final Factors users;
    private final Factors items;
    private final GenrePrior genrePrior;

    public FactorModel(AlsParams params, double mu, float minRating, float maxRating, Factors users,
                       Factors items, GenrePrior genrePrior) {
        if (users.dim() != params.factors() || items.dim() != params.factors()) {
            throw new IllegalArgumentException("factor dimension " + users.dim() + "/" + items.dim()
                    + " does not match params " + params.factors());
        }
        if (!(minRating <= maxRating)) {
            throw new IllegalArgumentException("rating range [" + minRating + ", " + maxRating + "]");
        }
        this.params = params;
        this.mu = mu;
        this.minRating = minRating;
        this.maxRating = maxRating;
        this.users = users;
        this.items = items;
        this.genrePrior = genrePrior;
    }

    /**
     * Fresh model: vectors ~ N(0, 0.1²) with a fixed seed, biases 0; with a genre prior, item vectors
     * start at their prior means.
     */
    public static FactorModel initial(AlsParams params, double mu, float minRating, float maxRating,
                                      int numUsers, int numItems, GenrePrior genrePrior, long seed) {
        int d = params.factors();
        Factors u = Factors.random(numUsers, d, INIT_SCALE, seed);
        Factors i = Factors.random(numItems, d, INIT_SCALE, seed ^ 0x5DEECE66DL);
        if (genrePrior != null) {
            genrePrior.initialise(seed ^ 0xB5AD4ECEDA1CE2A9L);
            for (int e = 0; e < numItems; e++) {
                if (genrePrior.hasGenres(e)) {
                    genrePrior.meanOf(e, i.data(), i.offset(e));
                }
            }
        }
        return new FactorModel(params, mu, minRating, maxRating, u, i, genrePrior);
    }

    /** A deep copy of the factors (the genre prior, if any, is shared). */
    public FactorModel copy() {
        return new FactorModel(params, mu, minRating, maxRating, users.copy(), items.copy(), genrePrior);
    }

    /** {@link ExplicitPrediction#predict}: an index outside the trained ones is an unknown entity. */
    public double predict(int u, int i) {
        boolean knownUser = u >= 0 && u < users.count();
        boolean knownItem = i >= 0 && i < items.count();
        return ExplicitPrediction.predict(mu, knownUser ? users.data() : null, knownUser ? users.offset(u) : 0,
                knownItem ? items.data() : null, knownItem ? items.offset(i) : 0, params.factors(), minRating,
                maxRating);
    }

    public double clip(double r) {
        return ExplicitPrediction.clip(r, minRating, maxRating);
    }

    public AlsParams params() {
        return params;
    }

    public double mu() {
        return mu;
    }

    public float minRating() {
        return minRating;
    }

    public float maxRating() {
        return maxRating;
    }

    public Factors users() {
        return users;
    }

    public Factors items() {
        return items;
    }

    /** The genre prior, or null for a zero-mean prior on item vectors. */
    public GenrePrior genrePrior() {
        return genrePrior;
    }
}

package io.foldin.data.twin;

/**
 * What to generate: the MovieLens 32M shape scaled by {@code scale}, from {@code seed}, with a hidden
 * model of rank {@code factors}.
 *
 * <p>Counts: users = round(200,948 s) and ratings = round(32,000,204 s), linear in s, but items =
 * round(84,432 √s). Items shrink more slowly than users on purpose. {@link Popularity} gives the item of
 * rank r about {@code A (1 + r/r0)^-2} ratings with A ∝ s (half the users) and r0 about the rating total
 * over A, a constant; so the last item of I gets ≈ A r0² / I² ratings, and with I ∝ √s that is the same
 * ≈ 1.4 ratings at every scale, and the share of items with ≤ 3 ratings stays ml-32m's 37%. Items ∝ s
 * (as before) made a 0.01 twin 100× denser than ml-32m, with no item under 140 ratings. Scale 1.0 is
 * unchanged (√1 = 1), so its twin is byte for byte what it was.
 *
 * <p>{@link #MIN_SCALE} 0.001 (201 users, 2,670 items, 32,000 ratings): below it a few hundred users
 * no longer make a long tail or a heavy head. Over the scales allowed the matrix is at most 6% full and
 * a user has 159 ratings on average, so the ≥ 20 ratings per user that MovieLens guarantees always fit.
 *
 * <p>{@link #withItems} replaces the item count (a larger catalogue for serving at scale, {@code generate
 * --items}): the same users, ratings and laws, with the popularity curve spread over more items (its tail of
 * one rating each grows) and the users' activity still capped by the scale's own item count
 * ({@link #activityCapItems}), so the users of a 1M-item twin are those of the 84k-item one.
 */
public record TwinConfig(double scale, long seed, int factors, int users, int items, int ratings) {
    public static final int ML_USERS = 200_948;
    public static final int ML_ITEMS = 84_432;
    public static final long ML_RATINGS = 32_000_204L;
    public static final double MIN_SCALE = 0.001;
    public static final int MIN_PER_USER = 20;
    public static final double MAX_DENSITY = 0.25;
    public static final int DEFAULT_FACTORS = 10;

    public TwinConfig {
        if (users < 1 || items < MIN_PER_USER * 4 || ratings < (long) MIN_PER_USER * users
                || ratings > MAX_DENSITY * users * (double) items + 1) {
            throw new IllegalArgumentException("inconsistent counts: " + users + " users, " + items
                    + " items, " + ratings + " ratings");
        }
        if (factors < 1 || factors > 256) {
            throw new IllegalArgumentException("factors must be in 1..256, got " + factors);
        }
    }

    /** The counts for scale {@code scale}; throws if the scale is below {@link #MIN_SCALE} or too large. */
    public static TwinConfig of(double scale, long seed, int factors) {
        if (!(scale >= MIN_SCALE) || Double.isInfinite(scale)) {
            throw new IllegalArgumentException("--scale must be at least " + MIN_SCALE + ", got " + plain(scale)
                    + " (0.001 gives 201 users, 2,670 items, 32,000 ratings)");
        }
        long users = Math.round(ML_USERS * scale);
        long items = Math.round(ML_ITEMS * Math.sqrt(scale));
        long ratings = Math.round(ML_RATINGS * scale);
        if (ratings > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("--scale " + scale + " gives " + ratings
                    + " ratings; the columns are Java arrays, at most 2^31 - 17 rows");
        }
        return new TwinConfig(scale, seed, factors, (int) users, (int) items, (int) ratings);
    }

    private static String plain(double x) {
        return Double.isFinite(x) ? java.math.BigDecimal.valueOf(x).stripTrailingZeros().toPlainString()
                : Double.toString(x);
    }

    /**
     * The same twin with {@code items} items instead of the scale's; throws when that is too few for its users
     * (fewer than 80, or a matrix more than 25% full) or too many for its ratings: every item gets one forced
     * rating from a user who gives at most half of theirs that way ({@link Activity#forcedUsers}), so
     * {@code 2 items ≤ ratings − users} (1,000,000 items need scale ≥ 0.07).
     */
    public TwinConfig withItems(int items) {
        if (items < MIN_PER_USER * 4 || 2L * items > (long) ratings - users) {
            throw new IllegalArgumentException("--items " + items + " at scale " + plain(scale) + ": between "
                    + MIN_PER_USER * 4 + " and " + ((long) ratings - users) / 2 + " (each item needs a forced rating, "
                    + "at most half of a user's ratings)");
        }
        return new TwinConfig(scale, seed, factors, users, items, ratings);
    }

    /**
     * The item count that caps a user's activity ({@link Activity}): the scale's own, {@code round(84,432 √s)},
     * whatever {@link #withItems} set, so a larger catalogue does not change how much users rate.
     */
    public int activityCapItems() {
        return (int) Math.round(ML_ITEMS * Math.sqrt(scale));
    }

    public static TwinConfig of(double scale, long seed) {
        return of(scale, seed, DEFAULT_FACTORS);
    }
}

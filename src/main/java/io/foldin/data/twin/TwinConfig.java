package io.foldin.data.twin;

/**
 * What to generate: the MovieLens 32M shape scaled by {@code scale}, from {@code seed}, with a hidden
 * model of rank {@code factors}.
 *
 * <p>Counts: users = round(200,948 s), items = round(84,432 s) and ratings = round(32,000,204 s),
 * then clamped to [20 users, users × items / 4]. The upper clamp only bites below s ≈ 0.0075,
 * where proportional scaling would make the matrix denser than a quarter full (at s = 0.002 it
 * would be 94% full and no longer look like a sparse rating matrix); the lower one is the ≥ 20
 * ratings per user that MovieLens guarantees.
 */
public record TwinConfig(double scale, long seed, int factors, int users, int items, int ratings) {
    public static final int ML_USERS = 200_948;
    public static final int ML_ITEMS = 84_432;
    public static final long ML_RATINGS = 32_000_204L;
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

    /** The counts for scale {@code scale}; throws if the scale is too small or too large. */
    public static TwinConfig of(double scale, long seed, int factors) {
        if (!(scale > 0) || Double.isInfinite(scale)) {
            throw new IllegalArgumentException("scale must be positive, got " + scale);
        }
        long users = Math.max(1, Math.round(ML_USERS * scale));
        long items = Math.round(ML_ITEMS * scale);
        if (items < MIN_PER_USER * 4) {
            throw new IllegalArgumentException("scale " + scale + " gives " + items
                    + " items; need at least " + MIN_PER_USER * 4 + " (scale >= 0.001)");
        }
        long ratings = Math.round(ML_RATINGS * scale);
        ratings = Math.min(ratings, (long) Math.floor(MAX_DENSITY * users * items));
        ratings = Math.max(ratings, (long) MIN_PER_USER * users);
        if (ratings > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("scale " + scale + " gives " + ratings
                    + " ratings; the columns are Java arrays, at most 2^31 - 17 rows");
        }
        return new TwinConfig(scale, seed, factors, (int) users, (int) items, (int) ratings);
    }

    public static TwinConfig of(double scale, long seed) {
        return of(scale, seed, DEFAULT_FACTORS);
    }
}

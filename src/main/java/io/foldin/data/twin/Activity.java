package io.foldin.data.twin;

import java.util.Arrays;

/**
 * How many ratings each user gives, and which user guarantees each item its first rating (item
 * popularity is {@link Popularity}).
 *
 * <p>Users: {@code n_u = 20 + e_u}. The excess is log-normal, {@code e_u = h(λ exp(σ z_u))} with
 * {@code z_u ~ N(0,1)} and σ = 1.6 (the LensKit codex fits ml-32m activity with a shifted
 * log-normal of σ ≈ 1.59), passed through the soft cap {@code h(e) = e / (1 + (e/C)^4)^(1/4)},
 * which leaves ordinary users alone and bends the far tail to at most {@code C = 0.4 I} (I the scale's item
 * count, {@link TwinConfig#activityCapItems}): the
 * heaviest MovieLens users rate ≈ 30k of 84k movies, over a third, where an uncapped log-normal over
 * 200k users would reach ≈ 50k.
 * λ is set by bisection so that {@code Σ e_u} hits the rating total; largest-remainder rounding
 * then makes it exact.
 */
final class Activity {
    static final double SIGMA = 1.6;
    static final double CAP_FRACTION = 0.4;

    private Activity() {
    }

    /** Ratings per user, each ≥ 20 and summing to {@code cfg.ratings()} exactly. */
    static int[] userCounts(TwinConfig cfg, SplitMix rng) {
        int users = cfg.users();
        double excess = cfg.ratings() - (double) TwinConfig.MIN_PER_USER * users;
        double cap = Math.max(1, CAP_FRACTION * cfg.activityCapItems() - TwinConfig.MIN_PER_USER);
        double[] w = new double[users];
        for (int u = 0; u < users; u++) {
            w[u] = StrictMath.exp(SIGMA * rng.nextGaussian());
        }
        double lo = 0;
        double hi = 1;
        while (softSum(w, hi, cap) < excess) {
            hi *= 2;
        }
        for (int it = 0; it < 100 && hi - lo > 1e-12 * hi; it++) {
            double mid = 0.5 * (lo + hi);
            if (softSum(w, mid, cap) < excess) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        int[] n = new int[users];
        double[] frac = new double[users];
        long given = 0;
        for (int u = 0; u < users; u++) {
            double e = soft(lo * w[u], cap);
            n[u] = (int) e;
            frac[u] = e - n[u];
            given += n[u];
        }
        long missing = (long) excess - given;
        // the largest fractional parts get the +1s; ties go to the lower index, so it is deterministic
        long[] keys = new long[users];
        for (int u = 0; u < users; u++) {
            keys[u] = ((long) ((1 - frac[u]) * (1 << 30)) << 31) | u;
        }
        Arrays.sort(keys);
        for (int j = 0; j < missing; j++) {
            n[(int) (keys[j % users] & 0x7FFF_FFFFL)]++;
        }
        for (int u = 0; u < users; u++) {
            n[u] += TwinConfig.MIN_PER_USER;
        }
        return n;
    }

    private static double softSum(double[] w, double lambda, double cap) {
        double s = 0;
        for (double x : w) {
            s += soft(lambda * x, cap);
        }
        return s;
    }

    private static double soft(double e, double cap) {
        double x = e / cap;
        double x2 = x * x;
        return e / Math.sqrt(Math.sqrt(1 + x2 * x2));
    }

    /**
     * For each item, a user who must rate it, so that every item has at least one rating as in
     * MovieLens (which lists only rated movies). Users are drawn in proportion to their activity,
     * and none is given more than half of its ratings this way, so the forced ratings stay a small
     * random part of each user's list (84k of 32M at scale 1).
     */
    static int[] forcedUsers(int[] userCounts, int items, SplitMix rng) {
        double[] w = new double[userCounts.length];
        for (int u = 0; u < w.length; u++) {
            w[u] = userCounts[u];
        }
        AliasTable pick = new AliasTable(w);
        int[] used = new int[userCounts.length];
        int[] forced = new int[items];
        for (int i = 0; i < items; i++) {
            int u;
            do {
                u = pick.sample(rng);
            } while (2 * (used[u] + 1) > userCounts[u]);
            used[u]++;
            forced[i] = u;
        }
        return forced;
    }
}

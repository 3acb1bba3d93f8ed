package io.foldin.simulate;

import io.foldin.data.twin.HiddenModel;
import io.foldin.data.twin.Twin;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Simulated users (seed 003 §16.3): a user's answer to an item shown is the twin's hidden score of the
 * pair on the rating scale, {@code mean + b_u + b_i + U_u·V_i}, plus noise N(0, σ²) (σ = 0.5 by default),
 * rounded to half stars and clipped to [0.5, 5]. The noise is drawn from a generator seeded by (seed,
 * user, item), so a run's answers depend only on what was shown.
 */
final class HiddenUsers {
    private final HiddenModel model;
    private final double mean;
    private final double noise;
    private final long seed;
    private final Map<Integer, Integer> userIndex = new HashMap<>();
    private final Map<Integer, Integer> itemIndex = new HashMap<>();

    HiddenUsers(Twin twin, double noise, long seed) {
        this.model = twin.model();
        this.mean = twin.stats().ratingMean();
        this.noise = noise;
        this.seed = seed;
        for (int u = 0; u < twin.users(); u++) {
            userIndex.put(twin.userIdOf(u), u);
        }
        for (int i = 0; i < twin.items(); i++) {
            itemIndex.put(twin.itemIdOf(i), i);
        }
    }

    /** The user's rating of an item shown to them; NaN for an item the twin does not have. */
    float answer(int userId, int itemId) {
        Integer u = userIndex.get(userId);
        Integer i = itemIndex.get(itemId);
        if (u == null || i == null) {
            return Float.NaN;
        }
        SplittableRandom rnd = new SplittableRandom(seed * 0x9E3779B97F4A7C15L ^ ((long) userId << 32 | itemId));
        double r = mean + model.score(u, i) + noise * rnd.nextGaussian();
        return (float) Math.max(0.5, Math.min(5.0, Math.rint(r * 2) / 2));
    }
}

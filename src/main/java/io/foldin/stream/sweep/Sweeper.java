package io.foldin.stream.sweep;

import io.foldin.data.IdIndex;
import io.foldin.data.RatingLog;
import io.foldin.data.RatingMatrix;
import io.foldin.model.AlsParams;
import io.foldin.model.AlsTrainer;
import io.foldin.model.FactorModel;
import io.foldin.model.Factors;
import io.foldin.model.GenrePrior;
import io.foldin.stream.live.ItemCatalog;
import io.foldin.stream.live.ModelEpoch;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A full sweep over the stored ratings: μ reset to their mean, then {@code iterations} ALS sweeps
 * (users, items, genre features) from the current factors (warm) or from a seeded random start
 * (cold, reproducible), then the RMSE on the held-out ratings. Plain math over collected ratings;
 * the stream side collects and installs.
 */
public final class Sweeper {

    /** Current factors to start from; returns false when the entity has none. */
    public interface WarmStart {
        boolean user(int userId, float[] out);

        boolean item(int itemId, float[] out);
    }

    /** Where stored ratings go: a sweep's {@link Collector}, or the wire of a gathered sweep. */
    public interface RatingSink {
        void add(int userId, int itemId, float rating, long timestamp);
    }

    /** Gathers ratings, holding out a fixed hashed fraction of (user, item) pairs. */
    public static final class Collector implements RatingSink {
        private final IdIndex users = new IdIndex();
        private final IdIndex items = new IdIndex();
        private final RatingLog train;
        private final RatingLog holdout;
        private final long threshold;

        public Collector(double holdoutFraction, int expected) {
            this.train = new RatingLog(users, items, expected);
            this.holdout = new RatingLog(users, items, 16);
            this.threshold = (long) (holdoutFraction * (1L << 53));
        }

        @Override
        public void add(int userId, int itemId, float rating, long timestamp) {
            if (isHeldOut(userId, itemId)) {
                holdout.add(userId, itemId, rating, timestamp);
            } else {
                train.add(userId, itemId, rating, timestamp);
            }
        }

        boolean isHeldOut(int userId, int itemId) {
            long z = ((long) userId << 32) ^ (itemId & 0xFFFFFFFFL);
            z = (z ^ (z >>> 33)) * 0xFF51AFD7ED558CCDL;
            z = (z ^ (z >>> 33)) * 0xC4CEB9FE1A85EC53L;
            z ^= z >>> 33;
            return (z >>> 11) < threshold;
        }

        public int size() {
            return train.size() + holdout.size();
        }
    }

    private final AlsParams params;
    private final int threads;
    private final long seed;

    public Sweeper(AlsParams params, int threads, long seed) {
        this.params = params;
        this.threads = threads;
        this.seed = seed;
    }

    /**
     * @param warm   current factors, or null for a cold start
     * @param prev   the epoch being replaced (its genre features seed the prior's)
     * @param epoch  the new epoch's number (above {@code prev}'s)
     */
    public SweepResult run(Collector c, WarmStart warm, ItemCatalog catalog, ModelEpoch prev, int epoch, int iterations) {
        long start = System.nanoTime();
        IdIndex users = c.users;
        IdIndex items = c.items;
        int d = params.factors();
        RatingMatrix train = RatingMatrix.of(c.train, users.size(), items.size());
        RatingMatrix holdout = RatingMatrix.of(c.holdout, users.size(), items.size());
        double mu = c.train.size() > 0 ? c.train.mean() : prev.mu();
        List<String> genreNames = genreNames(catalog, items);
        GenrePrior prior = genreNames.isEmpty() ? null
                : new GenrePrior(d, genreNames.size(), itemGenres(catalog, items, genreNames));
        FactorModel model = FactorModel.initial(params, mu, io.foldin.stream.event.RatingEvent.MIN_RATING,
                io.foldin.stream.event.RatingEvent.MAX_RATING, users.size(), items.size(), prior, seed);
        if (prior != null && warm != null) {
            for (int k = 0; k < genreNames.size(); k++) {
                float[] f = prev.features().get(genreNames.get(k));
                if (f != null) {
                    prior.setFeature(k, f);
                }
            }
        }
        if (warm != null) {
            warmStart(model.users(), users, warm, true);
            warmStart(model.items(), items, warm, false);
        }
        try (AlsTrainer trainer = new AlsTrainer(params, threads)) {
            for (int it = 0; it < iterations; it++) {
                trainer.sweep(model, train);
            }
        }
        double rmse = rmse(model, c.holdout);
        Map<String, float[]> features = new LinkedHashMap<>();
        for (int k = 0; k < genreNames.size(); k++) {
            features.put(genreNames.get(k), prior.feature(k));
        }
        long ms = (System.nanoTime() - start) / 1_000_000;
        ModelEpoch next = new ModelEpoch(epoch, mu, d, features,
                new ModelEpoch.SweepInfo(System.currentTimeMillis(), ms, c.size(), rmse));
        return new SweepResult(next, model, users, items, train, holdout);
    }

    private static void warmStart(Factors f, IdIndex ids, WarmStart warm, boolean user) {
        float[] buf = new float[f.stride()];
        for (int e = 0; e < ids.size(); e++) {
            int id = ids.idOf(e);
            if (user ? warm.user(id, buf) : warm.item(id, buf)) {
                System.arraycopy(buf, 0, f.data(), f.offset(e), buf.length);
            }
        }
    }

    private static double rmse(FactorModel model, RatingLog holdout) {
        if (holdout.size() == 0) {
            return Double.NaN;
        }
        double se = 0;
        for (int k = 0; k < holdout.size(); k++) {
            double e = model.predict(holdout.user(k), holdout.item(k)) - holdout.rating(k);
            se += e * e;
        }
        return Math.sqrt(se / holdout.size());
    }

    private static List<String> genreNames(ItemCatalog catalog, IdIndex items) {
        TreeSet<String> names = new TreeSet<>();
        for (int i = 0; i < items.size(); i++) {
            ItemCatalog.Item item = catalog.get(items.idOf(i));
            if (item != null) {
                names.addAll(item.genres());
            }
        }
        return new ArrayList<>(names);
    }

    private static int[][] itemGenres(ItemCatalog catalog, IdIndex items, List<String> names) {
        Map<String, Integer> index = new LinkedHashMap<>();
        for (String n : names) {
            index.put(n, index.size());
        }
        int[][] out = new int[items.size()][];
        for (int i = 0; i < items.size(); i++) {
            ItemCatalog.Item item = catalog.get(items.idOf(i));
            if (item == null) {
                out[i] = new int[0];
                continue;
            }
            out[i] = item.genres().stream().mapToInt(index::get).toArray();
        }
        return out;
    }
}

package io.foldin.eval;

import io.foldin.data.RatingLog;
import io.foldin.data.RatingMatrix;
import io.foldin.model.ImplicitAlsModel;
import io.foldin.model.ImplicitFoldIn;
import io.foldin.model.ImplicitParams;
import io.foldin.model.ImplicitTrainer;

/**
 * The online benchmark for implicit ALS: positives (ratings ≥ threshold) in time order, iALS on the first
 * {@code warmup} fraction, then each later interaction is ranked before it is folded in. Hit rate@10 is the share
 * of interactions whose item is among the user's top 10 of the items the user has not interacted with yet; a
 * repeated (u, i) is folded in but not scored. Ties count against the item (every item scoring at least as high
 * ranks above it), so a user with no vector (all scores 0) never scores a hit. Two learners see the same stream:
 * fold-in ({@link ImplicitFoldIn}) and the static warm-up model.
 */
public final class ImplicitPrequential {
    /** The cutoff of the hit rate. */
    public static final int K = 10;

    private ImplicitPrequential() {
    }

    public record Options(ImplicitParams params, double threshold, double warmup, int iterations, int threads,
                          long seed) {
        public Options {
            if (!(warmup > 0 && warmup < 1)) {
                throw new IllegalArgumentException("warmup must be in (0, 1), got " + warmup);
            }
            if (iterations < 1) {
                throw new IllegalArgumentException("iterations must be >= 1, got " + iterations);
            }
        }
    }

    public record Result(int warmupInteractions, int streamedInteractions, int scored, double hitRateFoldIn,
                         double hitRateStatic, double warmupSeconds, double foldInSeconds) {
    }

    /** Called every {@code every} streamed events with the running hit rates. */
    public interface Listener {
        void onProgress(int done, int of, double hitRateFoldIn, double hitRateStatic);
    }

    public static Result run(RatingLog ratings, Options o, Listener listener) {
        RatingLog log = ImplicitEvaluation.positives(ratings, o.threshold());
        int n = log.size();
        int[] order = log.timeOrder();
        int warm = (int) Math.floor(n * o.warmup());
        if (warm == 0 || warm == n) {
            throw new IllegalArgumentException("warm-up of " + warm + " of " + n + " positives leaves nothing to learn or stream");
        }
        int numUsers = log.users().size();
        int numItems = log.items().size();
        long t0 = System.nanoTime();
        RatingMatrix warmMatrix = RatingMatrix.of(log.select(order, 0, warm), numUsers, numItems);
        ImplicitAlsModel online = ImplicitAlsModel.initial(o.params(), numUsers, numItems, o.seed());
        try (ImplicitTrainer trainer = new ImplicitTrainer(o.params(), o.threads())) {
            for (int it = 0; it < o.iterations(); it++) {
                trainer.sweep(online.userFactors(), online.itemFactors(), warmMatrix);
            }
        }
        double warmupSeconds = (System.nanoTime() - t0) / 1e9;
        ImplicitAlsModel fixed = online.copy();
        ImplicitFoldIn fold = new ImplicitFoldIn(o.params(), online.userFactors(), online.itemFactors());
        fold.rebuild(warmMatrix);
        double[] scores = new double[numItems];
        int hitsFold = 0;
        int hitsStatic = 0;
        int scored = 0;
        long foldNanos = 0;
        int streamed = n - warm;
        int every = Math.max(1, streamed / 20);
        for (int j = warm; j < n; j++) {
            int row = order[j];
            int u = log.user(row);
            int i = log.item(row);
            if (fold.weight(u, i) == 0) {
                scored++;
                online.scores(u, scores);
                hitsFold += hit(scores, u, i, fold) ? 1 : 0;
                fixed.scores(u, scores);
                hitsStatic += hit(scores, u, i, fold) ? 1 : 0;
            }
            long f0 = System.nanoTime();
            fold.apply(u, i, log.rating(row));
            foldNanos += System.nanoTime() - f0;
            int done = j - warm + 1;
            if (listener != null && (done % every == 0 || j + 1 == n)) {
                listener.onProgress(done, streamed, hitsFold / (double) Math.max(1, scored),
                        hitsStatic / (double) Math.max(1, scored));
            }
        }
        return new Result(warm, streamed, scored, hitsFold / (double) scored, hitsStatic / (double) scored,
                warmupSeconds, foldNanos / 1e9);
    }

    /** Whether fewer than {@link #K} items u has not interacted with score at least as high as i. */
    static boolean hit(double[] scores, int u, int i, ImplicitFoldIn seen) {
        double s = scores[i];
        int above = 0;
        for (int j = 0; j < scores.length; j++) {
            if (j != i && scores[j] >= s && seen.weight(u, j) == 0 && ++above >= K) {
                return false;
            }
        }
        return true;
    }
}

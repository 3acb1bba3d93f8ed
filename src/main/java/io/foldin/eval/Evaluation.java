package io.foldin.eval;

import io.foldin.data.RatingLog;
import io.foldin.data.RatingMatrix;
import io.foldin.model.AlsParams;
import io.foldin.model.AlsTrainer;
import io.foldin.model.FactorModel;
import io.foldin.model.GenrePrior;
import io.foldin.model.Posterior;
import io.foldin.model.SweepSolver;
import io.foldin.model.VariationalModel;
import io.foldin.model.VariationalTrainer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * Offline train + test: ALS sweeps on the training log, RMSE on both logs after every sweep (the
 * convergence curve), and the test RMSE restricted to items with few training ratings, where the
 * genre prior is expected to help.
 *
 * <p>The headline test RMSE scores the test ratings whose user and item both have training ratings
 * (the protocol of Spark's {@code coldStartStrategy=drop} and of the reference figures); ratings of
 * entities unseen in training are scored separately ({@code testRmseAll}, cold and rare items), since
 * only a prior can predict them.
 */
public final class Evaluation {
    /** Items with at most this many training ratings count as rare (seed 003 §12.2). */
    public static final int RARE_MAX_RATINGS = 3;

    private Evaluation() {
    }

    /**
     * @param covariance the posterior covariance of {@link ModelKind#VARIATIONAL} (ignored by the others)
     * @param learnPrecisions variational EM for λ, τ, γ ({@link ModelKind#VARIATIONAL} only)
     */
    public record Options(ModelKind model, AlsParams params, int iterations, int threads, long seed,
                          SweepSolver solver, Posterior.Covariance covariance, boolean learnPrecisions) {
        public Options {
            if (iterations < 1) {
                throw new IllegalArgumentException("iterations must be >= 1, got " + iterations);
            }
        }

        public Options(ModelKind model, AlsParams params, int iterations, int threads, long seed,
                       SweepSolver solver) {
            this(model, params, iterations, threads, seed, solver, Posterior.Covariance.FULL, false);
        }

        /** The parameters actually trained: the bias-only model has no vectors. */
        public AlsParams effectiveParams() {
            return model == ModelKind.BIAS_ONLY ? params.withFactors(0) : params;
        }
    }

    /**
     * One point of the convergence curve; {@code seconds} times the sweep alone, not the RMSE; {@code elbo}
     * only for the variational model (NaN otherwise), after the sweep.
     */
    public record Sweep(int iteration, double trainRmse, double testRmse, double testRmseAll, double seconds,
                        double elbo) {
        public Sweep(int iteration, double trainRmse, double testRmse, double testRmseAll, double seconds) {
            this(iteration, trainRmse, testRmse, testRmseAll, seconds, Double.NaN);
        }
    }

    /**
     * Posterior variances of the entities of one side with a number of training ratings in
     * {@code [minRatings, maxRatings]}: mean per-coordinate factor variance {@code tr(S_VV)/D}, mean bias
     * variance, and the mean variance of the predicted mean over the known test ratings of those entities.
     */
    public record VarianceBucket(String side, int minRatings, int maxRatings, int entities,
                                 double meanFactorVariance, double meanBiasVariance, int testRatings,
                                 double meanPredictionVariance) {
    }

    /** Rating-count bucket bounds (inclusive) of {@link VarianceBucket}. */
    static final int[][] BUCKETS = {{0, 0}, {1, 1}, {2, 4}, {5, 19}, {20, 99}, {100, 999}, {1000, Integer.MAX_VALUE}};

    /**
     * @param knownTestRatings test ratings whose user and item have training ratings
     * @param coldTestRatings test ratings of items without training ratings
     * @param rareTestRatings test ratings of items with at most {@link #RARE_MAX_RATINGS} training
     *     ratings (cold ones included)
     */
    public record Result(Options options, int users, int items, int trainRatings, int testRatings,
                         int knownTestRatings, int coldTestItems, int coldTestRatings, int rareTestRatings,
                         double mu, List<Sweep> curve, double testRmseColdItems, double testRmseRareItems,
                         FactorModel model, VariationalModel variational, List<VarianceBucket> variances) {
        public Sweep last() {
            return curve.get(curve.size() - 1);
        }
    }

    /** Called after each sweep, e.g. for a progress line. */
    public interface Listener {
        void onSweep(Sweep sweep, int of);
    }

    /**
     * @param itemGenres genre indices per dense item index of the logs' item index (needed for
     *     {@link ModelKind#GENRE_PRIOR}, ignored otherwise)
     */
    public static Result run(RatingLog train, RatingLog test, int[][] itemGenres, int numGenres, Options options,
                             Listener listener) {
        if (train.size() == 0) {
            throw new IllegalArgumentException("the training set is empty");
        }
        int numUsers = train.users().size();
        int numItems = train.items().size();
        RatingMatrix matrix = RatingMatrix.of(train, numUsers, numItems);
        AlsParams params = options.effectiveParams();
        GenrePrior prior = null;
        if (options.model() == ModelKind.GENRE_PRIOR) {
            if (itemGenres == null) {
                throw new IllegalArgumentException("the genre-prior model needs item genres (--movies)");
            }
            prior = new GenrePrior(params.factors(), numGenres, itemGenres);
        }
        float[] range = train.ratingRange();
        VariationalModel vb = options.model() == ModelKind.VARIATIONAL
                ? VariationalModel.initial(params, train.mean(), range[0], range[1], numUsers, numItems,
                        options.covariance(), options.seed())
                : null;
        FactorModel model = vb != null ? vb.means() : FactorModel.initial(params, train.mean(), range[0], range[1],
                numUsers, numItems, prior, options.seed());

        IntPredicate known = k -> matrix.userCount(test.user(k)) > 0 && matrix.itemCount(test.item(k)) > 0;
        IntPredicate cold = k -> matrix.itemCount(test.item(k)) == 0;
        IntPredicate rare = k -> matrix.itemCount(test.item(k)) <= RARE_MAX_RATINGS;
        List<Sweep> curve = new ArrayList<>(options.iterations());
        try (AlsTrainer trainer = new AlsTrainer(params, options.threads(), options.solver());
             VariationalTrainer vbTrainer = vb == null ? null
                     : new VariationalTrainer(options.threads(), options.learnPrecisions())) {
            for (int it = 1; it <= options.iterations(); it++) {
                long t0 = System.nanoTime();
                double elbo = Double.NaN;
                if (vb != null) {
                    vbTrainer.solveUsers(vb, matrix.byUser());
                    vbTrainer.solveItems(vb, matrix.byItem());
                } else {
                    trainer.sweep(model, matrix);
                }
                double seconds = (System.nanoTime() - t0) / 1e9;
                if (vb != null) {
                    elbo = vbTrainer.finishSweep(vb, matrix.byUser());
                }
                Sweep s = new Sweep(it, Metrics.rmse(model, train), Metrics.rmse(model, test, known),
                        Metrics.rmse(model, test), seconds, elbo);
                curve.add(s);
                if (listener != null) {
                    listener.onSweep(s, options.iterations());
                }
            }
        }
        boolean[] coldItem = new boolean[numItems];
        int coldItems = 0;
        for (int k = 0; k < test.size(); k++) {
            int i = test.item(k);
            if (cold.test(k) && !coldItem[i]) {
                coldItem[i] = true;
                coldItems++;
            }
        }
        return new Result(options, numUsers, numItems, train.size(), test.size(), count(test, known), coldItems,
                count(test, cold), count(test, rare), model.mu(), List.copyOf(curve),
                Metrics.rmse(model, test, cold), Metrics.rmse(model, test, rare), model, vb,
                vb == null ? List.of() : varianceBuckets(vb, matrix, test, known));
    }

    /** {@link VarianceBucket}s of items, then users, by training rating count. */
    static List<VarianceBucket> varianceBuckets(VariationalModel vb, RatingMatrix matrix, RatingLog test,
                                                IntPredicate known) {
        List<VarianceBucket> out = new ArrayList<>();
        for (String side : new String[] {"item", "user"}) {
            boolean items = side.equals("item");
            Posterior post = items ? vb.items() : vb.users();
            for (int[] b : BUCKETS) {
                int entities = 0;
                double fv = 0;
                double bv = 0;
                for (int e = 0; e < post.count(); e++) {
                    int c = items ? matrix.itemCount(e) : matrix.userCount(e);
                    if (c >= b[0] && c <= b[1]) {
                        entities++;
                        fv += post.meanFactorVariance(e);
                        bv += post.variance(e, post.n() - 1);
                    }
                }
                int tests = 0;
                double pv = 0;
                for (int k = 0; k < test.size(); k++) {
                    if (!known.test(k)) {
                        continue;
                    }
                    int c = items ? matrix.itemCount(test.item(k)) : matrix.userCount(test.user(k));
                    if (c >= b[0] && c <= b[1]) {
                        tests++;
                        pv += vb.predictionVariance(test.user(k), test.item(k));
                    }
                }
                if (entities > 0) {
                    out.add(new VarianceBucket(side, b[0], b[1], entities, fv / entities, bv / entities, tests,
                            tests == 0 ? Double.NaN : pv / tests));
                }
            }
        }
        return List.copyOf(out);
    }

    private static int count(RatingLog log, IntPredicate p) {
        int n = 0;
        for (int k = 0; k < log.size(); k++) {
            if (p.test(k)) {
                n++;
            }
        }
        return n;
    }
}

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

    /**
     * The share of rarely rated items in top-k lists: for each of the first {@code users} users (dense index
     * order), the k items it did not rate in training with the highest score, where the score of the mean
     * {@code m = μ + b_u + b_i + U_u·V_i} (not clipped) and its variance v under q is m (mean), {@code m/(1+v)}
     * (uncertainty, seed 003 eq. 41) or {@code m + β√v} (ucb). v is the variational model's
     * {@link VariationalModel#predictionVariance}, or for a MAP model the one {@code serve} ranks with
     * ({@link io.foldin.serve.rank.ScoreVariance}: the user's {@code (λ G_u + P)⁻¹} and the diagonal of the
     * item's, each with the other side fixed).
     *
     * @return per ranking: the share of listed items with fewer than {@code rareBelow} training ratings, and
     *     the mean and median training count of the listed items, and how many distinct items the lists hold
     */
    public static List<RankingShare> rankingShares(FactorModel model, VariationalModel vb, RatingMatrix matrix,
                                                   int users, int k, int rareBelow, double beta) {
        List<RankingShare> out = new ArrayList<>();
        io.foldin.serve.rank.Ranking[] modes = io.foldin.serve.rank.Ranking.values();
        int n = Math.min(users, model.users().count());
        int items = model.items().count();
        RatingMatrix.Csr byUser = matrix.byUser();
        // MAP: the variances serve uses (docs/design.md §1.8), the user's (λG_u + P)⁻¹ and the item's diagonal
        AlsParams mp = model.params();
        int dim = mp.dim();
        float[] itemVariance = null;
        io.foldin.serve.rank.ScoreVariance served = null;
        io.foldin.model.RowGram gram = io.foldin.model.RowGram.create(dim);
        double[] g = new double[io.foldin.model.PackedGram.size(dim)];
        double[] h = new double[dim];
        if (vb == null) {
            served = new io.foldin.serve.rank.ScoreVariance(mp);
            itemVariance = new float[items * dim];
            io.foldin.model.AugmentedSolver solver = new io.foldin.model.AugmentedSolver(mp);
            RatingMatrix.Csr byItem = matrix.byItem();
            float[] v = new float[dim];
            for (int i = 0; i < items; i++) {
                gram.form(byItem.cols(), byItem.values(), byItem.start()[i], byItem.start()[i + 1],
                        model.users().data(), model.users().stride(), model.mu(), g, h);
                java.util.Arrays.fill(v, Float.NaN);
                solver.posteriorVariance(g, v);
                System.arraycopy(v, 0, itemVariance, i * dim, dim);
            }
        }
        for (io.foldin.serve.rank.Ranking mode : modes) {
            int listed = 0;
            int rare = 0;
            List<Integer> counts = new ArrayList<>();
            java.util.Set<Integer> distinct = new java.util.HashSet<>();
            io.foldin.serve.rank.TopK top = new io.foldin.serve.rank.TopK(k);
            for (int u = 0; u < n; u++) {
                boolean[] rated = new boolean[items];
                for (int p = byUser.start()[u]; p < byUser.start()[u + 1]; p++) {
                    rated[byUser.cols()[p]] = true;
                }
                top.reset(Math.min(k, items));
                if (served != null) {
                    gram.form(byUser.cols(), byUser.values(), byUser.start()[u], byUser.start()[u + 1],
                            model.items().data(), model.items().stride(), model.mu(), g, h);
                    float[] uf = java.util.Arrays.copyOfRange(model.users().data(), model.users().offset(u),
                            model.users().offset(u) + dim);
                    served.user(g, uf);
                }
                for (int i = 0; i < items; i++) {
                    if (rated[i]) {
                        continue;
                    }
                    double m = model.mu() + model.users().bias(u) + model.items().bias(i)
                            + model.users().dot(u, model.items(), i);
                    double v = vb != null ? vb.predictionVariance(u, i)
                            : served.variance(model.items().data(), itemVariance, model.items().offset(i));
                    top.offer((float) mode.score(m, v, beta), i);
                }
                top.sortDescending();
                for (int r = 0; r < top.size(); r++) {
                    int c = matrix.itemCount(top.row(r));
                    distinct.add(top.row(r));
                    counts.add(c);
                    listed++;
                    if (c < rareBelow) {
                        rare++;
                    }
                }
            }
            counts.sort(null);
            double mean = counts.stream().mapToInt(Integer::intValue).average().orElse(Double.NaN);
            out.add(new RankingShare(mode.label(), n, k, rareBelow, listed, listed == 0 ? Double.NaN
                    : (double) rare / listed, mean, counts.isEmpty() ? 0 : counts.get(counts.size() / 2),
                    distinct.size()));
        }
        return List.copyOf(out);
    }

    /** One row of {@link #rankingShares}. */
    public record RankingShare(String ranking, int users, int k, int rareBelow, int listed, double rareShare,
                               double meanItemRatings, int medianItemRatings, int distinctItems) {
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

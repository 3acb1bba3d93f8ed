package io.foldin.eval;

import io.foldin.data.RatingLog;
import io.foldin.data.RatingMatrix;
import io.foldin.model.Bpr;
import io.foldin.model.BprParams;
import io.foldin.model.ImplicitAls;
import io.foldin.model.ImplicitAlsModel;
import io.foldin.model.ImplicitParams;
import io.foldin.model.ImplicitScorer;
import io.foldin.model.ImplicitTrainer;
import io.foldin.model.Interactions;
import io.foldin.model.Popularity;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Offline train + test of an implicit model ({@code evaluate --model popularity|bpr|ials}): ratings at or above a
 * threshold are the positives, the rest are dropped ({@link #positives}) before the split; the model trains on the
 * training positives and is scored by {@link RankingMetrics} on the held-out positives after every epoch (or every
 * {@code evalEvery} epochs, and always after the last).
 */
public final class ImplicitEvaluation {
    private ImplicitEvaluation() {
    }

    /**
     * @param evalEvery score after every this many epochs (and after the last); 0: never (timing runs, where
     *                  scoring every user against every item would dominate); the popularity baseline has one
     *                  "epoch", its count
     */
    /**
     * @param ials    implicit ALS's parameters, with {@code sweeps} full sweeps on {@code threads} threads
     */
    public record Options(ModelKind model, BprParams bpr, ImplicitParams ials, int sweeps, int threads, long seed,
                          int evalEvery) {
        public Options {
            if (!model.implicit()) {
                throw new IllegalArgumentException("not an implicit model: " + model);
            }
            if (evalEvery < 0) {
                throw new IllegalArgumentException("--eval-every must be >= 0, got " + evalEvery);
            }
        }

        public int epochs() {
            return switch (model) {
                case POPULARITY -> 1;
                case IALS -> sweeps;
                default -> bpr.epochs();
            };
        }
    }

    /**
     * One epoch: {@code loss} the model's training loss (BPR: mean −ln σ(x̂_uij) over the epoch's steps; iALS: the
     * loss of {@link ImplicitAls#loss} per training positive; NaN for popularity), {@code seconds} the training time of the epoch alone, {@code metrics} null when not scored.
     */
    public record Epoch(int epoch, double loss, double seconds, RankingMetrics.Result metrics) {
    }

    public record Result(int users, int items, int trainPositives, int testPositives, List<Epoch> curve,
                         ImplicitScorer model) {
        /** The last scored epoch. */
        public Epoch last() {
            return curve.get(curve.size() - 1);
        }
    }

    /**
     * The ratings {@code >= threshold} of {@code all}, in order, as interactions (value 1) over fresh id indexes: a
     * user or item with no positive does not exist for the implicit model or its metrics.
     */
    public static RatingLog positives(RatingLog all, double threshold) {
        RatingLog out = new RatingLog(Math.max(16, all.size() / 2));
        for (int k = 0; k < all.size(); k++) {
            if (all.rating(k) >= threshold) {
                out.add(all.users().idOf(all.user(k)), all.items().idOf(all.item(k)), 1f, all.time(k));
            }
        }
        return out;
    }

    /**
     * A validation split of the training part (seeded apart from the outer split, as {@link Tuning}'s folds are):
     * settings chosen on it never saw the test positives.
     */
    public static io.foldin.data.Split.TrainTest validationSplit(RatingLog train, double fraction, long seed) {
        return io.foldin.data.Split.random(train, fraction, seed ^ Tuning.FOLD_SEED_MIX);
    }

    /** Trains on {@code train} and scores on {@code test} (both over the same indexes); {@code onEpoch} per epoch. */
    public static Result run(RatingLog train, RatingLog test, Options options, Consumer<Epoch> onEpoch) {
        int numUsers = train.users().size();
        int numItems = train.items().size();
        RatingMatrix trainMatrix = RatingMatrix.of(train, numUsers, numItems);
        RatingMatrix.Csr trainRows = trainMatrix.byUser();
        RatingMatrix.Csr testRows = RatingMatrix.of(test, numUsers, numItems).byUser();
        List<Epoch> curve = new ArrayList<>();
        ImplicitScorer model;
        switch (options.model()) {
            case POPULARITY -> {
                long t0 = System.nanoTime();
                model = Popularity.of(trainMatrix);
                add(curve, onEpoch, new Epoch(1, Double.NaN, (System.nanoTime() - t0) / 1e9,
                        options.evalEvery() == 0 ? null : RankingMetrics.evaluate(model, trainRows, testRows)));
            }
            case BPR -> {
                Bpr bpr = Bpr.initial(options.bpr(), numUsers, numItems, options.seed());
                Interactions s = Interactions.of(trainRows, numItems);
                SplittableRandom rnd = new SplittableRandom(options.seed());
                int epochs = options.epochs();
                for (int e = 1; e <= epochs; e++) {
                    long t0 = System.nanoTime();
                    double loss = bpr.epoch(s, rnd);
                    double seconds = (System.nanoTime() - t0) / 1e9;
                    boolean score = options.evalEvery() > 0 && (e % options.evalEvery() == 0 || e == epochs);
                    add(curve, onEpoch, new Epoch(e, loss, seconds,
                            score ? RankingMetrics.evaluate(bpr, trainRows, testRows) : null));
                }
                model = bpr;
            }
            case IALS -> {
                ImplicitAlsModel ials = ImplicitAlsModel.initial(options.ials(), numUsers, numItems, options.seed());
                try (ImplicitTrainer trainer = new ImplicitTrainer(options.ials(), options.threads())) {
                    int sweeps = options.epochs();
                    for (int e = 1; e <= sweeps; e++) {
                        long t0 = System.nanoTime();
                        trainer.sweep(ials.userFactors(), ials.itemFactors(), trainMatrix);
                        double seconds = (System.nanoTime() - t0) / 1e9;
                        // the loss is not part of the sweep's time: it is one more pass over the interactions
                        double loss = ImplicitAls.loss(ials.userFactors(), ials.itemFactors(), trainRows.start(),
                                trainRows.cols(), trainRows.values(), options.ials()) / train.size();
                        boolean score = options.evalEvery() > 0 && (e % options.evalEvery() == 0 || e == sweeps);
                        add(curve, onEpoch, new Epoch(e, loss, seconds,
                                score ? RankingMetrics.evaluate(ials, trainRows, testRows) : null));
                    }
                }
                model = ials;
            }
            default -> throw new IllegalStateException("not an implicit model: " + options.model());
        }
        return new Result(numUsers, numItems, train.size(), test.size(), curve, model);
    }

    /** One bias weight's ranking metrics (see {@link #explicitRanking}). */
    public record Weighted(double biasWeight, RankingMetrics.Result metrics) {
    }

    /**
     * Ranking metrics of an explicit model's top-k ({@link io.foldin.model.ExplicitRanking}, s = U·V + w b) for each
     * bias weight w: T_u is every training rating of u (a rated item is not recommended again, whatever its value)
     * and P_u the test ratings of u at or above {@code threshold}.
     */
    public static List<Weighted> explicitRanking(io.foldin.model.FactorModel model, RatingLog train, RatingLog test,
                                                 double threshold, double[] weights) {
        int numUsers = train.users().size();
        int numItems = model.items().count();
        RatingMatrix.Csr trainRows = RatingMatrix.of(train, numUsers, numItems).byUser();
        RatingMatrix.Csr testRows = RatingMatrix.of(positives(test, threshold, train), numUsers, numItems).byUser();
        List<Weighted> out = new ArrayList<>();
        for (double w : weights) {
            out.add(new Weighted(w, RankingMetrics.evaluate(new io.foldin.model.ExplicitRanking(model, w), trainRows,
                    testRows)));
        }
        return out;
    }

    /** The rows of {@code log} rated {@code >= threshold}, keeping {@code like}'s indexes. */
    private static RatingLog positives(RatingLog log, double threshold, RatingLog like) {
        RatingLog out = new RatingLog(like.users(), like.items(), Math.max(16, log.size() / 2));
        for (int k = 0; k < log.size(); k++) {
            if (log.rating(k) >= threshold) {
                out.addIndexed(log.user(k), log.item(k), 1f, log.time(k));
            }
        }
        return out;
    }

    private static void add(List<Epoch> curve, Consumer<Epoch> onEpoch, Epoch e) {
        curve.add(e);
        onEpoch.accept(e);
    }
}

package io.foldin.eval;

import io.foldin.data.RatingLog;
import io.foldin.data.Split;
import io.foldin.model.AlsParams;
import io.foldin.model.SweepSolver;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Hyper-parameter search ({@code tune}): every setting is trained by {@link Evaluation#run} on each fold of the
 * training part and scored on that fold's held-out ratings; the setting with the lowest mean validation RMSE wins.
 *
 * <p>{@link #search} is given the training part only, never the test split: what it chooses cannot depend on the
 * test ratings. {@link #tuneAndTest} then fits the chosen setting on the whole training part and scores it once on
 * the test split, exactly as {@code evaluate} would.
 *
 * <p>Each fit runs single-threaded; fits run in parallel on a pool of {@link Plan#threads} (a setting's fits are
 * independent, so the scores do not depend on the number of threads or on the order in which fits finish).
 */
public final class Tuning {
    /** Mixed into the seed for the folds, so they are not drawn by the same stream as the outer split. */
    static final long FOLD_SEED_MIX = 0x9E3779B97F4A7C15L;

    private Tuning() {
    }

    /**
     * @param folds      k-fold over the training part when >= 2, else 0 and {@code validation} is used
     * @param validation the fraction of the training part held out as the one validation split (when folds is 0)
     * @param seed       seed of the folds (mixed with {@link #FOLD_SEED_MIX}) and of every fit's initial factors
     */
    public record Plan(ModelKind model, List<AlsParams> settings, int folds, double validation, int iterations,
                       long seed, SweepSolver solver, int threads, int[][] itemGenres, int numGenres) {
        public Plan {
            settings = List.copyOf(settings);
            if (settings.isEmpty()) {
                throw new IllegalArgumentException("no settings to try");
            }
            if (folds == 0 ? !(validation > 0 && validation < 1) : folds < 2) {
                throw new IllegalArgumentException(folds == 0 ? "--validation must be in (0, 1), got " + validation
                        : "--folds must be >= 2, got " + folds);
            }
            if (threads < 1) {
                throw new IllegalArgumentException("--threads must be >= 1, got " + threads);
            }
        }

        /** The options of one fit: single-threaded when fits run side by side. */
        Evaluation.Options options(AlsParams params, int fitThreads) {
            return new Evaluation.Options(model, params, iterations, fitThreads, seed, solver);
        }
    }

    /** One setting's scores: final-sweep train and validation RMSE, per fold. */
    public record Trial(AlsParams params, double[] trainRmse, double[] validationRmse) {
        public double meanValidationRmse() {
            return mean(validationRmse);
        }

        public double meanTrainRmse() {
            return mean(trainRmse);
        }
    }

    /**
     * @param trials every setting in the plan's order
     * @param best   the lowest mean validation RMSE (the first of equal ones)
     * @param curve  per D (ascending), the best setting with that D: train and validation RMSE by D
     */
    public record Result(List<Trial> trials, Trial best, List<Trial> curve) {
    }

    /** The search, then the one test: {@code result.best} fitted on the training part and scored on the test. */
    public record Outcome(Result search, Evaluation.Result test) {
    }

    /** Called as fits finish (from the pool's threads, one at a time). */
    public interface Listener {
        void onFit(int done, int total);
    }

    /**
     * Chooses a setting on {@code train} alone and then scores it once on {@code split.test()}. The test split is
     * read only after the choice is made.
     */
    public static Outcome tuneAndTest(Split.TrainTest split, Plan plan, Listener listener) throws InterruptedException {
        Result chosen = search(split.train(), plan, listener);
        Evaluation.Result test = Evaluation.run(split.train(), split.test(), plan.itemGenres(), plan.numGenres(),
                plan.options(chosen.best().params(), plan.threads()), null);
        return new Outcome(chosen, test);
    }

    /** Scores every setting of the plan on the folds of {@code train}; the only data it is given. */
    public static Result search(RatingLog train, Plan plan, Listener listener) throws InterruptedException {
        List<Split.TrainTest> folds = plan.folds() >= 2 ? folds(train, plan.folds(), plan.seed())
                : List.of(Split.random(train, plan.validation(), plan.seed() ^ FOLD_SEED_MIX));
        List<AlsParams> settings = plan.settings();
        int n = settings.size();
        int k = folds.size();
        double[][] trainRmse = new double[n][k];
        double[][] validationRmse = new double[n][k];
        // Largest D first: the longest fits start early and the pool does not end waiting on one.
        List<int[]> fits = new ArrayList<>(n * k);
        for (int s = 0; s < n; s++) {
            for (int f = 0; f < k; f++) {
                fits.add(new int[] {s, f});
            }
        }
        fits.sort(Comparator.comparingInt((int[] a) -> -settings.get(a[0]).factors()));
        AtomicInteger done = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(plan.threads(), r -> {
            Thread t = new Thread(r, "tune-fit");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> futures = new ArrayList<>(fits.size());
            for (int[] fit : fits) {
                futures.add(pool.submit(() -> {
                    Split.TrainTest fold = folds.get(fit[1]);
                    Evaluation.Result r = Evaluation.run(fold.train(), fold.test(), plan.itemGenres(),
                            plan.numGenres(), plan.options(settings.get(fit[0]), 1), null);
                    trainRmse[fit[0]][fit[1]] = r.last().trainRmse();
                    validationRmse[fit[0]][fit[1]] = r.last().testRmse();
                    if (listener != null) {
                        synchronized (listener) { // counts reach the listener in order, one at a time
                            listener.onFit(done.incrementAndGet(), fits.size());
                        }
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw cause instanceof RuntimeException re ? re : new IllegalStateException(cause);
        } finally {
            pool.shutdownNow();
        }
        List<Trial> trials = new ArrayList<>(n);
        for (int s = 0; s < n; s++) {
            trials.add(new Trial(settings.get(s), trainRmse[s], validationRmse[s]));
        }
        return new Result(List.copyOf(trials), best(trials), curve(trials));
    }

    /**
     * {@code k} folds of {@code log}: its rows shuffled by a seeded Fisher-Yates (seed mixed with
     * {@link #FOLD_SEED_MIX}) and cut into {@code k} contiguous runs of near-equal size; fold f holds out run f and
     * trains on the rest. Both halves keep the log's row order and share its id indexes.
     */
    public static List<Split.TrainTest> folds(RatingLog log, int k, long seed) {
        int n = log.size();
        if (k < 2 || k > n) {
            throw new IllegalArgumentException("--folds must be in [2, " + n + "], got " + k);
        }
        int[] perm = new int[n];
        for (int j = 0; j < n; j++) {
            perm[j] = j;
        }
        SplittableRandom rnd = new SplittableRandom(seed ^ FOLD_SEED_MIX);
        for (int j = n - 1; j > 0; j--) {
            int r = rnd.nextInt(j + 1);
            int t = perm[j];
            perm[j] = perm[r];
            perm[r] = t;
        }
        int[] foldOf = new int[n];
        for (int f = 0; f < k; f++) {
            for (int j = (int) ((long) n * f / k); j < (long) n * (f + 1) / k; j++) {
                foldOf[perm[j]] = f;
            }
        }
        List<Split.TrainTest> out = new ArrayList<>(k);
        for (int f = 0; f < k; f++) {
            int[] in = new int[n];
            int[] out1 = new int[n];
            int a = 0;
            int b = 0;
            for (int row = 0; row < n; row++) {
                if (foldOf[row] == f) {
                    out1[b++] = row;
                } else {
                    in[a++] = row;
                }
            }
            out.add(new Split.TrainTest(log.select(in, 0, a), log.select(out1, 0, b)));
        }
        return out;
    }

    private static Trial best(List<Trial> trials) {
        Trial best = null;
        for (Trial t : trials) {
            if (best == null || better(t, best)) {
                best = t;
            }
        }
        return best;
    }

    private static boolean better(Trial a, Trial b) {
        double x = a.meanValidationRmse();
        double y = b.meanValidationRmse();
        return !Double.isNaN(x) && (Double.isNaN(y) || x < y);
    }

    private static List<Trial> curve(List<Trial> trials) {
        TreeMap<Integer, Trial> byD = new TreeMap<>();
        for (Trial t : trials) {
            byD.merge(t.params().factors(), t, (old, neu) -> better(neu, old) ? neu : old);
        }
        return List.copyOf(byD.values());
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }
}
